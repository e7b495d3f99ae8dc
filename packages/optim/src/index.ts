/**
 * @loom/optim: PyTorch's optimizers over pure, sliceable update functions, and its LR schedulers.
 * @packageDocumentation
 */
export * from './optimizer.js';
export * from './descriptor.js';
export { FunctionalOptimizer } from './functional-optimizer.js';
export * from './sgd.js';
export * from './asgd.js';
export * from './adagrad.js';
export * from './adadelta.js';
export * from './rmsprop.js';
export * from './adam.js';
export * from './adamw.js';
export * from './adamax.js';
export * from './nadam.js';
export * from './radam.js';
export * from './sparse-adam.js';
export * from './rprop.js';
export * from './lbfgs.js';
export { cubicInterpolate, strongWolfe, type DirectionalObjective, type LineSearchResult } from './lbfgs-line-search.js';
export * from './registry.js';
export * from './lr-scheduler/index.js';
