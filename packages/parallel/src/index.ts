/**
 * @loom/parallel: Arrow datasets in shared memory, samplers, and data-parallel training.
 * @packageDocumentation
 */
export * from './data/index.js';
export { cacheDir } from './env.js';
export * from './trainer/options.js';
export { DataParallelTrainer, type FitOptions, type FitResult } from './trainer/trainer.js';
export type { TrainerState } from './trainer/state.js';
export { createMlp, createLeNet, createBuiltinModel } from './models/index.js';
export { planLayout, planSlices, PARAM_ALIGN, type ParamLayout, type ParamEntry } from './trainer/layout.js';
