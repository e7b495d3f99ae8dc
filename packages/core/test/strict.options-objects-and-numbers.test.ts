import { describe, expect, it } from 'vitest';
import {
  AdaptiveAvgPool2d,
  checkOptions,
  clamp,
  conv2d,
  dropout,
  elu,
  formatValue,
  Generator,
  hardtanh,
  leakyRelu,
  Linear,
  Mish,
  MultiheadAttention,
  randn,
  ReLU,
  Sigmoid,
  SiLU,
  Softplus,
  softplus,
  Softsign,
  Tanh,
  tensor,
  TransformerEncoderLayer,
  zeros,
} from '../src/index.js';

/** Arguments of the wrong kind, which used to crash inside Loom ("Cannot read properties of null") or pass silently. */
const asAny = <T>(value: unknown): T => value as T;

describe('formatValue shows a value as error messages print it', () => {
  it('gives the type and a short source-like form, never "[object Object]"', () => {
    expect(formatValue({ p: 0.5 })).toBe('an object { p: 0.5 }');
    expect(formatValue({ a: 1, b: 2, c: 3, d: 4, e: 5 })).toBe('an object { a: 1, b: 2, c: 3, d: 4, … }');
    expect(formatValue([1, 2, 3, 4, 5])).toBe('an array [1, 2, 3, 4, …]');
    expect(formatValue([[1], { a: 1 }])).toBe('an array [[…], {…}]');
    expect(formatValue('0.5')).toBe('the string "0.5"');
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(-1)).toBe('-1');
    expect(formatValue(true)).toBe('true');
    expect(formatValue(null)).toBe('null');
    expect(formatValue(undefined)).toBe('undefined');
    expect(formatValue(tensor([1]))).toBe('a Tensor');
    expect(formatValue({ weight: tensor([1]) })).toBe('an object { weight: a Tensor }');
    expect(formatValue(new Generator(1))).toBe('a Generator');
    expect(formatValue(function step() {})).toBe('a function step');
  });
});

describe('an options object must be a plain object', () => {
  it('null, arrays, strings, numbers and class instances throw naming the owner and what it takes', () => {
    expect(() => checkOptions('Thing', null, ['a', 'b'])).toThrowError('Thing: options must be an object of a, b, but got null');
    expect(() => checkOptions('Thing', null, [])).toThrowError('Thing: takes no options, but got null');
    expect(() => zeros([2], asAny(null))).toThrowError('zeros: options must be an object of dtype, requiresGrad, but got null');
    expect(() => tensor([1, 2], asAny(null))).toThrowError('tensor: options must be an object of dtype, requiresGrad, shape, but got null');
    expect(() => randn([2], asAny(new Generator(1)))).toThrowError(
      'randn: options must be an object of dtype, requiresGrad, generator, but got a Generator',
    );
    const x = randn([1, 1, 4, 4]);
    const w = randn([1, 1, 3, 3]);
    expect(() => conv2d(x, w, null, asAny([1]))).toThrowError(
      'conv2d: options must be an object of stride, padding, dilation, groups, but got an array [1]',
    );
    expect(() => conv2d(x, w, null, asAny('same'))).toThrowError('but got the string "same"');
  });

  it('undefined still means "no options"', () => {
    expect(zeros([2], undefined).tolist()).toEqual([0, 0]);
  });
});

describe("functional ops take their numbers positionally, in PyTorch's order", () => {
  const x = tensor([-2, -0.5, 0, 1.5]);

  it('an options object where a number goes throws naming the parameter (dropout printed "[object Object]")', () => {
    expect(() => dropout(x, asAny({ p: 0.5 }))).toThrowError(
      "dropout: p must be a number, got an object { p: 0.5 }; dropout takes its numbers positionally, in PyTorch's order",
    );
    expect(() => leakyRelu(x, asAny({ negativeSlope: 0.1 }))).toThrowError('leakyRelu: negativeSlope must be a number, got an object');
    expect(() => elu(x, asAny({ alpha: 1 }))).toThrowError('elu: alpha must be a number, got an object { alpha: 1 }');
    expect(() => softplus(x, asAny({ beta: 2 }))).toThrowError('softplus: beta must be a number, got an object { beta: 2 }');
    expect(() => hardtanh(x, asAny({ minVal: -1 }))).toThrowError('hardtanh: minVal must be a number, got an object { minVal: -1 }');
  });

  it('a string or NaN throws too (a string p was coerced, a NaN bound or slope passed through)', () => {
    expect(() => dropout(x, asAny('0.5'))).toThrowError('dropout: p must be a number, got the string "0.5"');
    expect(() => dropout(x, NaN)).toThrowError('dropout: p must be a number, got NaN');
    expect(() => dropout(x, 0.5, asAny('no'))).toThrowError('dropout: training must be true or false, got the string "no"');
    expect(() => dropout(x, 0.5, true, asAny(7))).toThrowError('dropout: generator must be a Generator (new Generator(seed)), got 7');
    expect(() => leakyRelu(x, NaN)).toThrowError('leakyRelu: negativeSlope must be a number, got NaN');
    expect(() => softplus(x, 1, asAny('20'))).toThrowError('softplus: threshold must be a number, got the string "20"');
    expect(() => clamp(x, NaN)).toThrowError('clamp: min must be a number, a Tensor or null, got NaN');
    expect(() => clamp(x, 0, asAny({ max: 1 }))).toThrowError('clamp: max must be a number, a Tensor or null, got an object { max: 1 }');
  });

  it('numbers given positionally still give the values PyTorch does (hand-computed)', () => {
    expect(leakyRelu(x, 0.1).tolist()).toEqual([-0.2, -0.05, 0, 1.5].map(Math.fround));
    expect(hardtanh(x, -1, 1).tolist()).toEqual([-1, -0.5, 0, 1]);
    expect(clamp(x, -1, 1).tolist()).toEqual([-1, -0.5, 0, 1]);
    expect(dropout(x, 0.5, false).tolist()).toEqual(x.tolist());
  });
});

describe('modules refuse arguments they would have ignored', () => {
  it('modules that take no arguments, or only inplace=false, throw on anything else', () => {
    expect(() => new Tanh(asAny(1))).toThrowError('Tanh: takes no arguments, got 1 (1)');
    expect(() => new Sigmoid(asAny({ dim: 1 }))).toThrowError('Sigmoid: takes no arguments, got 1 (an object { dim: 1 })');
    expect(() => new Softsign(asAny(null))).toThrowError('Softsign: takes no arguments, got 1 (null)');
    expect(() => new SiLU(asAny(true))).toThrowError(
      'SiLU: inplace is not supported (the output is a new tensor, the input is kept); leave it out (got true)',
    );
    expect(() => new Mish(false, asAny(1))).toThrowError('Mish: takes an optional inplace=false only, got 1 more (1)');
    expect(() => new ReLU(asAny({ inplace: true }))).toThrowError(
      'ReLU: inplace is not supported (the output is a new tensor, the input is kept); leave it out (got an object { inplace: true })',
    );
    expect(() => new AdaptiveAvgPool2d(1, asAny(2))).toThrowError('AdaptiveAvgPool2d: takes the output size only, got 1 more (2)');
    expect(() => new AdaptiveAvgPool2d(asAny('1'))).toThrowError(
      'AdaptiveAvgPool2d: outputSize must be a positive integer or a pair of them (null keeps the input size), got the string "1"',
    );
  });

  it('a null where a number goes is refused, not taken as the default (Softplus(null) had beta 1)', () => {
    expect(() => new Softplus(null as never)).toThrowError('Softplus: beta must be a finite number, got null');
    expect(() => new MultiheadAttention(4, 2, null as never)).toThrowError('MultiheadAttention: dropout must be between 0 and 1, got null');
    expect(() => new MultiheadAttention(4, 2, 0, asAny('yes'))).toThrowError(
      'MultiheadAttention: bias must be true or false, got the string "yes"',
    );
    expect(() => new TransformerEncoderLayer(4, 2, null as never)).toThrowError(
      'TransformerEncoderLayer: dimFeedforward must be a positive integer, got null',
    );
    expect(() => new Linear(2, 2).train(asAny('eval'))).toThrowError('Module.train: mode must be true or false, got the string "eval"');
  });
});
