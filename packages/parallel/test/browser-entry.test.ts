import { fileURLToPath } from 'node:url';
import { build, type Message, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Bundles `source` for the browser (esbuild, platform 'browser') and returns the modules it pulled in, or the errors. */
async function bundleForBrowser(source: string, conditions?: string[]): Promise<{ inputs: string[]; errors: Message[] }> {
  try {
    const result = await build({
      stdin: { contents: source, resolveDir: here, loader: 'js' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      ...(conditions ? { conditions } : {}),
    });
    return { inputs: Object.keys((result.metafile as Metafile).inputs), errors: [] };
  } catch (error) {
    return { inputs: [], errors: (error as { errors: Message[] }).errors };
  }
}

// The entries a page or a Web Worker imports, resolved through the packages' exports as a bundler
// for the browser resolves them (the `browser`/`import`/`default` conditions, never `node`).
const entries = ['@loom/core', '@loom/losses', '@loom/optim', '@loom/parallel', '@loom/parallel/web-worker'];

describe('the browser entries import nothing of Node', () => {
  it.each(entries)('%s bundles for the browser with no node: module, piscina or koffi', async (entry) => {
    const { inputs, errors } = await bundleForBrowser(`export * from '${entry}';`);
    expect(errors.map((e) => e.text)).toEqual([]);
    expect(inputs.length).toBeGreaterThan(10);
    expect(inputs.filter((path) => /^node:|[/\\](piscina|koffi)[/\\]/.test(path))).toEqual([]);
    // The browser entries themselves, not the Node ones, were taken.
    expect(inputs.some((path) => /[/\\]dist[/\\](index)\.js$/.test(path) && /(core|parallel)[/\\]dist/.test(path))).toBe(false);
  });

  it('catches a node: import: the Node entries, forced, do not bundle for the browser', async () => {
    const { errors } = await bundleForBrowser(`export * from '@loom/parallel';`, ['node']);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((e) => e.text).join('\n')).toMatch(/node:/);
  });
});
