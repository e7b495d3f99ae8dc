import { readFileSync } from 'node:fs';

/** The two builds of the kernel module, in the package's `wasm/` folder. */
export type KernelBuild = 'kernels.wasm' | 'kernels-relaxed.wasm';

// One literal `new URL('…', import.meta.url)` per file: bundlers that ship assets (webpack,
// Vite, Parcel) only recognise that exact form, and then copy the file and rewrite the URL.
function inPackage(build: KernelBuild): URL {
  // src/kernels/wasm and dist/kernels/wasm are both three levels below the package root.
  return build === 'kernels.wasm'
    ? new URL('../../../wasm/kernels.wasm', import.meta.url)
    : new URL('../../../wasm/kernels-relaxed.wasm', import.meta.url);
}

/**
 * Where a build may be, in order: in the installed package; beside a bundle that inlined this
 * file (a bundler that does not copy assets, such as esbuild, needs `@loom/core/wasm/*.wasm`
 * copied next to its output); through the package's `./wasm/*` export, for a bundle run where
 * @loom/core is still installed.
 */
function locations(build: KernelBuild): (() => URL)[] {
  return [
    () => inPackage(build),
    () => new URL(build, import.meta.url),
    () => new URL(import.meta.resolve(`@loom/core/wasm/${build}`)),
  ];
}

/** The bytes of a kernel build, from the first place it is found; the error lists every place tried. */
export function readKernelBuild(build: KernelBuild): Uint8Array {
  const tried: string[] = [];
  for (const location of locations(build)) {
    let url: URL;
    try {
      url = location();
    } catch {
      continue; // import.meta.resolve is missing in some bundles and loaders, or the package is not installed
    }
    try {
      return readFileSync(url);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      tried.push(url.href);
    }
  }
  throw new Error(
    `the WebAssembly kernel build ${build} was not found (tried ${tried.join(', ')}); ` +
      'a bundle needs @loom/core/wasm/*.wasm copied next to it',
  );
}
