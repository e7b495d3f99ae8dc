/**
 * Node's way to the kernel builds: read synchronously from the package's files, with V8's flag
 * for relaxed SIMD set first. Imported by the Node entry of @loom/core only (src/index.ts), so a
 * browser bundle never sees `node:fs` or `node:v8`; there `loadWasmModule()` fetches the builds.
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { type KernelBuild, kernelBuildMissing, kernelBuildUrls } from './locate.js';
import { setKernelFiles } from './module.js';

function readKernelBuild(build: KernelBuild): Uint8Array {
  const tried: string[] = [];
  for (const url of kernelBuildUrls(build)) {
    try {
      return readFileSync(url);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      tried.push(url.href);
    }
  }
  throw kernelBuildMissing(build, tried);
}

setKernelFiles({
  // Node 20 validates relaxed SIMD only behind this V8 flag.
  enableRelaxedSimd: () => setFlagsFromString('--experimental-wasm-relaxed-simd'),
  read: readKernelBuild,
});
