/**
 * @loom/parallel: Arrow datasets in shared memory, samplers, and data-parallel training.
 * @packageDocumentation
 */
export * from './data/index.js';
