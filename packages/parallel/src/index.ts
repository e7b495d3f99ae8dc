/**
 * @loom/parallel: Arrow datasets in shared memory, samplers, and data-parallel training.
 * @packageDocumentation
 */
export * from './data/index.js';
export { cacheDir } from './env.js';
export * from './trainer/options.js';
export { DataParallelTrainer, type FitOptions, type FitResult } from './trainer/trainer.js';
export { type TrainerState, optimizerKey, pytorchBufferName, releaseState } from './trainer/state.js';
export { RankFailedError, StepError, StepTimeoutError, type StepPlace } from './trainer/step-error.js';
export { createMlp, createLeNet, createBatchNormCnn, createBuiltinModel } from './models/index.js';
export { planLayout, planSlices, PARAM_ALIGN, type ParamLayout, type ParamEntry } from './protocol/param-layout.js';
export { planFold, planSlots, FOLD_LEVELS, type FoldPlan, type FoldOp, type SumOp } from './protocol/gradient-fold.js';
export { CharTransformer, type CharTransformerOptions, causalMask } from './models/char-transformer.js';
export { MpiWorld, MpiClient, type Exchange } from './distributed/world.js';
export { autoDistributed, detectMpiLaunch, type MpiLaunch } from './distributed/launch.js';
export { finalizeMpi, processRank } from './trainer/ranks.js';
export type { RankPlacement } from './protocol/ranks.js';
export { IN_PLACE, MPICH_ABI, type MpiElement } from './distributed/mpich-abi.js';
