/** The kernel module: every family's exports, compiled by `asc` into wasm/kernels*.wasm. */
export { matmul, matmulScratchBytes } from './matmul';
export { binary2d } from './elementwise';
export { sgd, adam, rmsprop, adagrad } from './optim';
export { sumSlots, sumSlotsScratchBytes } from './allreduce';
export { sumAxis, extremumRows, centredSquares } from './reduce';
export { unary, unaryBackward } from './unary';
export { im2col, col2im } from './im2col';
export { maxPool2x2 } from './pooling';
export { softmaxRows, softmaxRowsBackward, logsumexpRows, softmaxXentRows } from './softmax';

/** 2 when this build uses relaxed-SIMD fused multiply-add, 1 for plain SIMD. */
export function simdLevel(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 2 : 1;
}
