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
 * @loom/core is still installed. A location that cannot be formed (import.meta.resolve is
 * missing in some bundles and loaders, or the package is not installed) is left out.
 */
export function kernelBuildUrls(build: KernelBuild): URL[] {
  const locations = [
    () => inPackage(build),
    () => new URL(build, import.meta.url),
    () => new URL(import.meta.resolve(`@loom/core/wasm/${build}`)),
  ];
  const urls: URL[] = [];
  for (const location of locations) {
    try {
      urls.push(location());
    } catch {
      continue;
    }
  }
  return urls;
}

/** The error for a build found nowhere, listing every place tried. */
export function kernelBuildMissing(build: KernelBuild, tried: readonly string[]): Error {
  return new Error(
    `the WebAssembly kernel build ${build} was not found (tried ${tried.join(', ')}); ` +
      'a bundle needs @loom/core/wasm/*.wasm copied next to it',
  );
}

/**
 * The bytes of a kernel build fetched from the first place it is found (runtimes without a file
 * system: browsers, workers); the error lists every place tried.
 */
export async function fetchKernelBuild(build: KernelBuild): Promise<Uint8Array> {
  const tried: string[] = [];
  for (const url of kernelBuildUrls(build)) {
    let response: Response;
    try {
      response = await fetch(url);
    } catch (error) {
      tried.push(`${url.href} (${(error as Error).message})`);
      continue;
    }
    if (response.ok) return new Uint8Array(await response.arrayBuffer());
    tried.push(`${url.href} (HTTP ${response.status})`);
  }
  throw kernelBuildMissing(build, tried);
}
