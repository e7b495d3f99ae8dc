/**
 * @loom/core: tensors in shared WebAssembly memory, define-by-run autograd, kernels and nn.
 * This is the Node entry (the `node` condition of the package's exports): the browser entry's
 * exports, the kernel module read from the package's files, and safetensors files on disk.
 * @packageDocumentation
 */
import './kernels/wasm/node-files.js';

export * from './browser.js';
export { saveSafetensorsFile, loadSafetensorsFile } from './serialization/safetensors-file.js';
