import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsumerProject, PACKAGES, REPO_ROOT, createConsumerProject, exec } from './outside-workspace.js';

let consumer: ConsumerProject;
beforeAll(async () => {
  consumer = await createConsumerProject();
}, 300_000);
afterAll(() => {
  if (consumer) rmSync(consumer.root, { recursive: true, force: true });
});

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const installed = (pkg: string): string => join(consumer.project, 'node_modules', '@loom', pkg);
const manifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
const node = (args: string[], env: Record<string, string> = {}) => exec(process.execPath, args, consumer.project, env);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** The package names that a built JavaScript file imports (static, dynamic and re-exports). */
function bareImports(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g)) {
    const specifier = m[1]!;
    if (specifier.startsWith('.') || specifier.startsWith('/') || isBuiltin(specifier)) continue;
    const parts = specifier.split('/');
    names.add(specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!);
  }
  return [...names];
}

describe('the packed packages', () => {
  it('ship dist, README, LICENSE and CHANGELOG (and core its .wasm), with versions in place of workspace:*', () => {
    const version = (pkg: string): string => manifest(join(REPO_ROOT, 'packages', pkg)).version;
    expect(consumer.tarballs.map((t) => relative(join(consumer.root, 'tarballs'), t)).sort()).toEqual(
      PACKAGES.map((p) => `loom-${p}-${version(p)}.tgz`).sort(),
    );
    for (const pkg of PACKAGES) {
      const dir = installed(pkg);
      for (const file of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/index.js', 'dist/index.d.ts']) {
        expect(existsSync(join(dir, file)), `@loom/${pkg} ships ${file}`).toBe(true);
      }
      expect(JSON.stringify(manifest(dir))).not.toMatch(/workspace:/);
      // Sources and tests stay behind: only what `files` names is published.
      expect(existsSync(join(dir, 'src')), `@loom/${pkg} ships no src/`).toBe(false);
      expect(existsSync(join(dir, 'test')), `@loom/${pkg} ships no test/`).toBe(false);
    }
    for (const wasm of ['kernels.wasm', 'kernels-relaxed.wasm']) expect(existsSync(join(installed('core'), 'wasm', wasm))).toBe(true);
  });

  it('declare every package their JavaScript imports as a dependency (nothing left to hoisting)', () => {
    for (const pkg of PACKAGES) {
      const dir = installed(pkg);
      const m = manifest(dir);
      const declared = new Set([
        ...Object.keys(m.dependencies ?? {}),
        ...Object.keys(m.peerDependencies ?? {}),
        ...Object.keys(m.optionalDependencies ?? {}),
      ]);
      const used = new Set(
        walk(join(dir, 'dist'))
          .filter((f) => f.endsWith('.js'))
          .flatMap((f) => bareImports(readFileSync(f, 'utf8'))),
      );
      used.delete(m.name); // a package may import itself by name through its exports
      const undeclared = [...used].filter((name) => !declared.has(name));
      expect(undeclared, `@loom/${pkg} imports undeclared packages`).toEqual([]);
    }
  });

  it('are installed by npm from the tarballs alone, not from the registry', () => {
    const lock = JSON.parse(readFileSync(join(consumer.project, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { resolved?: string }>;
    };
    // A Loom package wherever npm put it; not the dependencies nested under one (@loom/cli/node_modules/vega…).
    const loomEntries = Object.entries(lock.packages).filter(([path]) => /(^|\/)node_modules\/@loom\/[^/]+$/.test(path));
    expect(loomEntries.map(([path]) => path).sort()).toEqual(PACKAGES.map((p) => `node_modules/@loom/${p}`).sort());
    for (const [path, entry] of loomEntries) expect(entry.resolved, path).toMatch(/^file:.*\.tgz$/);
  });
});

describe('a TypeScript project outside the workspace', () => {
  it('type-checks against the published declarations under moduleResolution node16', async () => {
    await exec(join(consumer.project, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], consumer.project);
    expect(existsSync(join(consumer.project, 'build', 'core-only.js'))).toBe(true);
  });

  it('1. runs tensors and autograd with @loom/core alone, on the WebAssembly kernels', async () => {
    const { stdout } = await node(['build/core-only.js'], { LOOM_KERNELS: 'wasm' });
    expect(JSON.parse(stdout.trim())).toMatchObject({ ok: true, loss: 8.5 });
  });

  it('2. trains a model in a single-thread loop with core + losses + optim', async () => {
    const { stdout } = await node(['build/train-loop.js']);
    expect(JSON.parse(stdout.trim())).toMatchObject({ ok: true });
  });

  it('3. trains data-parallel on two workers with a model module of its own', async () => {
    const { stdout } = await node(['build/data-parallel.js']);
    expect(JSON.parse(stdout.trim())).toMatchObject({ ok: true });
  });
});

describe('@loom/core bundled into one file (esbuild, which copies no assets)', () => {
  async function bundle(outfile: string): Promise<void> {
    await build({
      absWorkingDir: consumer.project,
      entryPoints: ['build/core-only.js'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      logLevel: 'silent',
    });
  }

  it('finds the .wasm through the package when the bundle runs where @loom/core is installed', async () => {
    await bundle(join(consumer.project, 'bundle', 'app.mjs'));
    const { stdout } = await node(['bundle/app.mjs'], { LOOM_KERNELS: 'wasm' });
    expect(JSON.parse(stdout.trim())).toMatchObject({ ok: true });
  });

  it('finds the .wasm copied next to a bundle deployed on its own, and says where it looked when it is missing', async () => {
    const deploy = join(consumer.root, 'deploy');
    mkdirSync(deploy);
    await bundle(join(deploy, 'app.mjs'));
    const missing = exec(process.execPath, ['app.mjs'], deploy, { LOOM_KERNELS: 'wasm' });
    await expect(missing).rejects.toThrow(/kernels\.wasm was not found \(tried .*deploy\/kernels\.wasm/);
    for (const wasm of ['kernels.wasm', 'kernels-relaxed.wasm']) copyFileSync(join(installed('core'), 'wasm', wasm), join(deploy, wasm));
    const { stdout } = await exec(process.execPath, ['app.mjs'], deploy, { LOOM_KERNELS: 'wasm' });
    expect(JSON.parse(stdout.trim())).toMatchObject({ ok: true });
  });
});

describe('the loom command installed from its tarball', () => {
  const loom = (args: string[]) =>
    exec(join(consumer.project, 'node_modules', '.bin', 'loom'), args, consumer.project, {
      LOOM_CACHE_DIR: join(consumer.root, 'cache'),
    });

  it('4a. prints its help', async () => {
    const { stdout } = await loom(['--help']);
    expect(stdout).toMatch(/^Usage: loom /);
    expect(stdout).toMatch(/\btrain\b/);
  });

  it('4b. trains one epoch on a small Arrow file converted from CSV', async () => {
    const rows = ['a,b,c,d,label'];
    for (let i = 0; i < 96; i++) {
      const v = [0, 1, 2, 3].map((f) => Math.sin(3.7 * i + 1.3 * f));
      rows.push(`${v.map((x) => x.toFixed(4)).join(',')},${v[0]! > v[1]! ? 1 : 0}`);
    }
    writeFileSync(join(consumer.project, 'small.csv'), `${rows.join('\n')}\n`);
    await loom(['data', 'convert', 'small.csv', 'small.arrow', '--json']);
    const { stdout } = await loom([
      'train',
      '--data',
      'small.arrow',
      '--features',
      'a,b,c,d',
      '--target',
      'label',
      '--model',
      'mlp:4,8,2',
      '--epochs',
      '1',
      '--batch-size',
      '16',
      '--micro-batch',
      '8',
      '--workers',
      '2',
      '--out',
      'runs/one',
      '--json',
    ]);
    const events = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; epoch?: number });
    expect(events.filter((e) => e.event === 'epoch').map((e) => e.epoch)).toEqual([1]);
  });
});
