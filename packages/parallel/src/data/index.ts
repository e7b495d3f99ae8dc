export { type TableDataset, type DatasetArrays, type TargetKind, datasetFromArrays } from './dataset.js';
export { type SharedDataset, datasetToShared, datasetFromShared } from './cross-thread.js';
export { type Batch, type RowIndices, subset, gatherBatch } from './batch.js';
export { type LoadArrowOptions, loadArrow } from './arrow/load.js';
export { readArrowSchema } from './arrow/source.js';
export { type WriteArrowOptions, writeArrow, datasetToArrowBytes, datasetToArrowTable } from './arrow/write.js';
export {
  type Sampler,
  type RandomSamplerOptions,
  type BatchOptions,
  SequentialSampler,
  RandomSampler,
  batches,
  batchRanges,
} from './sampler.js';
export { type TrainValSplit, trainValSplit } from './split.js';
export {
  type TextDatasetOptions,
  textDataset,
  characterVocabulary,
  encodeText,
  decodeText,
  VOCABULARY_KEY,
  TEXT_FEATURES,
  TEXT_TARGET,
} from './text.js';
export { type Dataset, TensorDataset, Subset, randomSplit } from './map-style.js';
export { ArrowDataset } from './arrow-dataset.js';
export { DataLoader, type DataLoaderOptions, type Collated, defaultCollate } from './dataloader.js';
