/**
 * @loom/core: tensors in shared WebAssembly memory, define-by-run autograd, kernels and nn.
 * @packageDocumentation
 */
import './tensor/methods/base.js';
// tensor-methods (each helper adds its methods file import above this line)

export { type DType, type TypedArray, type FloatArray, BYTES_PER_ELEMENT, isFloating, promoteTypes } from './dtype.js';
export { env, type KernelPreference } from './env.js';

export { SharedMemory } from './memory/shared-memory.js';
export { Allocator, ALIGNMENT } from './memory/allocator.js';
export { Arena, type ArenaMark } from './memory/arena.js';
export {
  type MemoryContext,
  memoryContext,
  attachMemory,
  sharedMemory,
  withArena,
  persistent,
  inArena,
  RESERVED_BYTES,
} from './memory/context.js';

export { Tensor, type NestedArray, forEachOffset } from './tensor/tensor.js';
export { Storage } from './tensor/storage.js';
export { RowSparseTensor } from './tensor/row-sparse.js';
export {
  type Shape,
  numel,
  contiguousStrides,
  broadcastShapes,
  broadcastStrides,
  formatShape,
  shapesEqual,
  normalizeDim,
} from './tensor/shape.js';

export { type GradFn } from './autograd/grad-fn.js';
export { noGrad, isGradEnabled, setGradEnabled } from './autograd/grad-mode.js';
export { record, needsGrad } from './autograd/record.js';
export { backward } from './autograd/backward.js';

export { Generator, defaultGenerator, manualSeed } from './random/generator.js';

export { Kernel, type Backend, defineKernel, listKernels } from './kernels/registry.js';
export { matmulKernel, binaryKernel } from './kernels/definitions.js';

export * from './ops/creation.js';
export * from './ops/copy.js';
export * from './ops/views.js';
export * from './ops/binary.js';
export * from './ops/reduce.js';
export * from './ops/matmul.js';
export { gradcheck, type GradcheckOptions } from './autograd/gradcheck.js';
// ops-elementwise (unary, activations, comparisons, softmax, extrema)
// ops-structure (cat, stack, gather, embedding, conv, pooling, norm, dropout)
export { Module } from './nn/module.js';
export { Parameter } from './nn/parameter.js';
// nn (modules, init, clipping)
// serialization (safetensors)
