/**
 * The entry of @loom/core for runtimes without Node's built-ins (browsers, Web Workers): every
 * export of the package but the safetensors file functions. The kernel module is fetched there
 * by `loadWasmModule()` (see kernels/wasm/module.ts). Nothing here imports `node:*`; the test
 * browser-entry.test.ts bundles this file for the browser to keep it so.
 */
import './tensor/methods/base.js';
import './tensor/methods/structure.js';
import './tensor/methods/elementwise.js';

export { type DType, type TypedArray, type FloatArray, BYTES_PER_ELEMENT, isFloating, promoteTypes } from './dtype.js';
export { env, type KernelPreference, type BlasPreference, type MallocPreference } from './env.js';
export {
  checkOptions,
  suggestKey,
  camelCase,
  optionKeys,
  isOptionsObject,
  positionalOptions,
  checkFlag,
  checkNumber,
  checkNoArguments,
  type PositionalOr,
} from './util/options.js';
export { formatValue } from './util/format-value.js';

export { SharedMemory } from './memory/shared-memory.js';
export type { WasmMemory, WasmModule } from './memory/wasm-api.js';
export { Allocator, ALIGNMENT } from './memory/allocator.js';
export { Arena, type ArenaMark } from './memory/arena.js';
export { withArena } from './memory/with-arena.js';
export { Residency } from './memory/residency.js';
export { Headroom } from './memory/headroom.js';
export {
  keepFreedHeap,
  keptHeapEnvironment,
  KEPT_HEAP_SETTINGS,
  type KeepFreedHeapOutcome,
  type MallocSetting,
} from './memory/keep-freed-heap.js';
export { type MemoryContext, memoryContext, attachMemory, sharedMemory, persistent, inArena, RESERVED_BYTES } from './memory/context.js';

export { Tensor, type NestedArray, forEachOffset, TO_JSON_MAX_ELEMENTS } from './tensor/tensor.js';
export { type PrintOptions, setPrintOptions, getPrintOptions } from './tensor/format.js';
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
export { backward, releaseGrad, type BackwardOptions } from './autograd/backward.js';
export { checkInPlace } from './autograd/in-place.js';

export { Generator, defaultGenerator, manualSeed } from './random/generator.js';

export { Kernel, type Backend, defineKernel, listKernels } from './kernels/registry.js';
export { matmulKernel, binaryKernel, fillKernel } from './kernels/definitions.js';
export { KernelTape, recordKernels } from './kernels/tape.js';
export { sgdKernel, adamKernel, rmspropKernel, adagradKernel, sumSlotsKernel, softmaxXentRowsKernel } from './kernels/definitions.js';
export type { SgdOptions, AdamOptions, RmspropOptions, AdagradOptions } from './kernels/js/optim.js';
import './kernels/wasm/install.js';
import './kernels/blas/install.js';
export { kernelInfo, describeKernels, type KernelInfo } from './kernels/wasm/info.js';
export { type BlasInfo, type BlasVendor } from './kernels/blas/load.js';
export { loadKoffi, type Koffi, type KoffiLibrary } from './native/koffi.js';
export { wasmModule, setWasmModule, loadWasmModule, type WasmBackend } from './kernels/wasm/module.js';

export * from './ops/creation.js';
export * from './ops/copy.js';
export * from './ops/views.js';
export * from './ops/binary.js';
export * from './ops/reduce.js';
export * from './ops/matmul.js';
export { gradcheck, type GradcheckOptions } from './autograd/gradcheck.js';
export * from './ops/unary.js';
export * from './ops/compare.js';
export * from './ops/activations.js';
export * from './ops/softmax.js';
export * from './ops/extrema.js';
export * from './ops/join.js';
export { gather, indexSelect, oneHot } from './ops/indexing.js';
export { sort, argsort, topk, type SortOptions, type TopkOptions } from './ops/sort.js';
export { cumsum } from './ops/cumsum.js';
export { embedding, type EmbeddingOptions } from './ops/embedding.js';
export { conv1d, conv2d, type Conv1dOptions, type Conv2dOptions, type ConvPadding, type Size2d } from './ops/conv.js';
export { convTranspose2d, type ConvTranspose2dOptions } from './ops/conv-transpose.js';
export { maxPool1d, avgPool1d, type MaxPool1dOptions, type AvgPool1dOptions } from './ops/pooling1d.js';
export { adaptiveAvgPool2d, type AdaptiveSize2d } from './ops/adaptive-pool.js';
export {
  batchNorm,
  batchNormWithStatistics,
  groupNorm,
  updateRunningStatistics,
  type BatchNormOptions,
  type BatchStatistics,
} from './ops/batch-norm.js';
export { maxPool2d, avgPool2d, type MaxPool2dOptions, type AvgPool2dOptions } from './ops/pooling.js';
export * from './ops/layer-norm.js';
export * from './ops/dropout.js';
export { lstmCell, gruCell, type CellWeights } from './ops/recurrent.js';
export { scaledDotProductAttention, additiveMask, type ScaledDotProductAttentionOptions } from './ops/attention.js';
export { Module, type BufferSlot } from './nn/module.js';
export {
  type StateDictOptions,
  type LoadStateDictOptions,
  type LoadStateDictArgs,
  type IncompatibleKeys,
} from './nn/state-dict-options.js';
export { Parameter } from './nn/parameter.js';
export { Linear, type LinearOptions } from './nn/linear.js';
export {
  Conv1d,
  Conv2d,
  ConvTranspose2d,
  type Conv1dModuleOptions,
  type Conv2dModuleOptions,
  type ConvTranspose2dModuleOptions,
} from './nn/conv.js';
export {
  MaxPool2d,
  AvgPool2d,
  MaxPool1d,
  AvgPool1d,
  AdaptiveAvgPool2d,
  type MaxPool2dModuleOptions,
  type AvgPool2dModuleOptions,
  type MaxPool1dModuleOptions,
  type AvgPool1dModuleOptions,
} from './nn/pooling.js';
export { Flatten, type FlattenOptions } from './nn/flatten.js';
export {
  ReLU,
  LeakyReLU,
  type LeakyReLUOptions,
  GELU,
  type GELUOptions,
  SiLU,
  Mish,
  Softplus,
  type SoftplusOptions,
  ELU,
  type ELUOptions,
  Hardtanh,
  type HardtanhOptions,
  Softsign,
  Tanh,
  Sigmoid,
  Softmax,
  LogSoftmax,
  type SoftmaxOptions,
} from './nn/activation.js';
export { Dropout, type DropoutOptions } from './nn/dropout.js';
export { Embedding, type EmbeddingModuleOptions } from './nn/embedding.js';
export { LayerNorm, type LayerNormOptions, GroupNorm, type GroupNormOptions } from './nn/normalization.js';
export { BatchNorm, BatchNorm1d, BatchNorm2d, type BatchNormModuleOptions } from './nn/batchnorm.js';
export { Sequential } from './nn/sequential.js';
export { ModuleList } from './nn/module-list.js';
export { LSTM, GRU, type RNNOptions } from './nn/recurrent.js';
export { LSTMCell, GRUCell, type RNNCellOptions } from './nn/recurrent-cell.js';
export { MultiheadAttention, type MultiheadAttentionOptions, type MultiheadAttentionForwardOptions } from './nn/attention.js';
export {
  TransformerEncoderLayer,
  TransformerEncoder,
  type TransformerActivation,
  type TransformerEncoderLayerOptions,
  type TransformerEncoderLayerForwardOptions,
  type TransformerEncoderOptions,
  type TransformerEncoderForwardOptions,
} from './nn/transformer.js';
export { summary, ModelSummary, type SummaryRow, type SummaryOptions } from './nn/summary.js';
/** Parameter initialisation in place, as `torch.nn.init`. */
export * as init from './nn/init.js';
export { clipGradNorm_, clipGradValue_, type ClipGradNormOptions } from './nn/clip-grad.js';
export { saveSafetensors, loadSafetensors, type SafetensorsMetadata, type SafetensorsContents } from './serialization/safetensors.js';
