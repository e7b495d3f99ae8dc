/** The kernel module: every family's exports, compiled by `asc` into wasm/kernels*.wasm. */
export { matmul, matmulScratchBytes } from './matmul';
