/**
 * Everything of @loom/parallel that both entries export: datasets, samplers, the trainer, models,
 * the protocol's plans. Nothing here imports `node:*`; the platform (threads, files) comes from
 * the entry that imports this file.
 */
export * from './data/index.js';
export * from './trainer/options.js';
export { DataParallelTrainer, type FitOptions, type FitResult } from './trainer/trainer.js';
export type { ChunkCounts } from './protocol/messages.js';
export { type TrainerState, optimizerKey, pytorchBufferName, releaseState } from './trainer/state.js';
export { RankFailedError, StepError, StepTimeoutError, type StepPlace } from './trainer/step-error.js';
export { createMlp, createLeNet, createBatchNormCnn, createBuiltinModel } from './models/index.js';
export { planLayout, planSlices, PARAM_ALIGN, type ParamLayout, type ParamEntry } from './protocol/param-layout.js';
export { planFold, planSlots, FOLD_LEVELS, type FoldPlan, type FoldOp, type SumOp } from './protocol/gradient-fold.js';
export type { RankPlacement } from './protocol/ranks.js';
export { CharTransformer, type CharTransformerOptions, causalMask } from './models/char-transformer.js';
