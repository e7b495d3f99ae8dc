import { describe, it } from 'vitest';
import { AdaptiveAvgPool2d, AvgPool1d, checkOptions, Conv1d, Conv2d, ConvTranspose2d, MaxPool1d, type Module } from '../src/index.js';
import { checkModuleCase, constructorArgs, type ModuleCase, moduleCases } from './fixtures/module-cases.js';

type Size = number | [number, number];

const CONV_POSITIONAL = ['in_channels', 'out_channels', 'kernel_size'];

const builders: Record<string, (c: ModuleCase) => Module> = {
  Conv1d: (c) => {
    const [[i, o, k], rest] = constructorArgs(c.options, CONV_POSITIONAL);
    return new Conv1d(i as number, o as number, k as number, rest);
  },
  Conv2d: (c) => {
    const [[i, o, k], rest] = constructorArgs(c.options, CONV_POSITIONAL);
    return new Conv2d(i as number, o as number, k as Size, rest);
  },
  ConvTranspose2d: (c) => {
    const [[i, o, k], rest] = constructorArgs(c.options, CONV_POSITIONAL);
    return new ConvTranspose2d(i as number, o as number, k as Size, rest);
  },
  AdaptiveAvgPool2d: (c) => {
    const [[size], rest] = constructorArgs(c.options, ['output_size']);
    checkOptions('AdaptiveAvgPool2d', rest, []);
    return new AdaptiveAvgPool2d(size as [number, number]);
  },
  AvgPool1d: (c) => {
    const [[k], rest] = constructorArgs(c.options, ['kernel_size']);
    return new AvgPool1d(k as number, rest);
  },
  MaxPool1d: (c) => {
    const [[k], rest] = constructorArgs(c.options, ['kernel_size']);
    return new MaxPool1d(k as number, rest);
  },
};

describe('convolution and pooling modules match PyTorch (modules.json, float64, 1e-9)', () => {
  it.each(moduleCases(Object.keys(builders)).map((c) => [c.id, c] as const))('%s', (_, c) => {
    checkModuleCase(c, builders[c.module]!);
  });
});
