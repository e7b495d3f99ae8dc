import { describe, it } from 'vitest';
import { BatchNorm1d, BatchNorm2d, LayerNorm, type Module } from '../src/index.js';
import { checkModuleCase, constructorArgs, type ModuleCase, moduleCases } from './fixtures/module-cases.js';

const builders: Record<string, (c: ModuleCase) => Module> = {
  BatchNorm1d: (c) => {
    const [[n], rest] = constructorArgs(c.options, ['num_features']);
    return new BatchNorm1d(n as number, rest);
  },
  BatchNorm2d: (c) => {
    const [[n], rest] = constructorArgs(c.options, ['num_features']);
    return new BatchNorm2d(n as number, rest);
  },
  LayerNorm: (c) => {
    const [[shape], rest] = constructorArgs(c.options, ['normalized_shape']);
    return new LayerNorm(shape as number[], rest);
  },
};

describe('normalisation modules match PyTorch (modules.json, float64, 1e-9)', () => {
  it.each(moduleCases(Object.keys(builders)).map((c) => [c.id, c] as const))('%s', (_, c) => {
    checkModuleCase(c, builders[c.module]!);
  });
});
