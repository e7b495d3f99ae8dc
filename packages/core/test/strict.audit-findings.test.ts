import { describe, expect, it } from 'vitest';
import {
  AvgPool2d,
  clamp,
  Conv1d,
  Conv2d,
  ConvTranspose2d,
  ELU,
  Generator,
  Hardtanh,
  Linear,
  MaxPool1d,
  MaxPool2d,
  rand,
  randn,
  randperm,
  ReLU,
  Softplus,
  sum,
  tensor,
} from '../src/index.js';

/** What an audit of every exported options object and PyTorch positional form found passing silently (or failing late or obscurely). */
const asAny = <T>(value: unknown): T => value as T;

describe("modules take PyTorch's positional forms or throw at construction", () => {
  it("Conv1d and ConvTranspose2d take PyTorch's positional order (they took only an options object)", () => {
    const c = new Conv1d(1, 32, 3, 2, 1, 1, 1, false);
    expect([c.stride, c.padding, c.dilation, c.groups, c.bias]).toEqual([2, 1, 1, 1, null]);
    // torch.nn.ConvTranspose2d(4, 2, 3, 2, 1, 1, 2, False, 1): stride, padding, output_padding, groups, bias, dilation.
    const t = new ConvTranspose2d(4, 2, 3, 2, 1, 1, 2, false, 1);
    expect([t.stride, t.padding, t.outputPadding, t.groups, t.bias, t.dilation]).toEqual([[2, 2], [1, 1], [1, 1], 2, null, [1, 1]]);
    expect(new Conv1d(1, 4, 3, 1, 'same').padding).toBe('same');
  });

  it("a padding string other than same/valid throws at construction with PyTorch's message (it was stored and failed at forward, or never)", () => {
    expect(() => new Conv2d(1, 4, 3, { padding: 'avg' } as never)).toThrow(
      "Conv2d: Invalid padding string 'avg', should be one of {'valid', 'same'}",
    );
    expect(() => new Conv1d(1, 4, 3, { padding: 'avg' } as never)).toThrow(
      "Conv1d: Invalid padding string 'avg', should be one of {'valid', 'same'}",
    );
    expect(() => new Conv2d(1, 4, 3, 2, 'same')).toThrow("Conv2d: padding='same' is not supported for strided convolutions");
    expect(() => new Conv1d(1, 4, 3, 0)).toThrow('Conv1d: stride must be an integer ≥ 1, got 0');
    expect(() => new Conv1d(1, 4, 3, 1, -1)).toThrow('Conv1d: padding must be an integer ≥ 0, got -1');
  });

  it('a parameter dtype that is not floating throws naming it (Linear threw a WebAssembly.Memory.grow error)', () => {
    const message = 'parameters: dtype must be float32 or float64 (only floating-point tensors can require gradients), got "float16"';
    expect(() => new Linear(2, 2, asAny({ dtype: 'float16' }))).toThrow(message);
    expect(() => new Conv1d(1, 1, 3, { dtype: 'int32' } as never)).toThrow('got "int32"');
  });

  it('pooling windows are checked at construction (MaxPool2d(2, -1) was built and failed at its first forward)', () => {
    expect(() => new MaxPool2d(2, -1)).toThrow('MaxPool2d: stride must be an integer ≥ 1 or a pair of them, got -1');
    expect(() => new AvgPool2d(0)).toThrow('AvgPool2d: kernelSize must be an integer ≥ 1 or a pair of them, got 0');
    expect(() => new MaxPool1d(2, 1, -1)).toThrow('MaxPool1d: padding must be an integer ≥ 0 or a pair of them, got -1');
    expect(new MaxPool2d(2, 2).forward(rand([1, 1, 4, 4])).shape).toEqual([1, 1, 2, 2]);
  });

  it('ELU, Hardtanh and Softplus take their PyTorch positional arguments; ReLU(true) is refused, not ignored', () => {
    expect(new ELU(0.5).alpha).toBe(0.5);
    expect([new Hardtanh(-2, 2).minVal, new Hardtanh(-2, 2).maxVal]).toEqual([-2, 2]);
    expect([new Softplus(2, 10).beta, new Softplus(2, 10).threshold]).toEqual([2, 10]);
    expect(Array.from(new ELU(0.5).forward(tensor([-1, 1])).data()).map((v) => Number(v.toFixed(6)))).toEqual([-0.31606, 1]);
    expect(() => new ReLU(asAny(true))).toThrow(
      'ReLU: inplace is not supported (the output is a new tensor, the input is kept); leave it out (got true)',
    );
    expect(() => new ReLU()).not.toThrow();
  });
});

describe('ops refuse arguments of the wrong type instead of coercing them', () => {
  it('a string operand ("2" was read as 2) and a string clamp bound (ignored)', () => {
    expect(() => rand([2]).pow(asAny('2'))).toThrow('expected a Tensor or a number as an operand, got the string "2"');
    expect(() => rand([2]).add(asAny(true))).toThrow('expected a Tensor or a number as an operand, got true');
    expect(() => clamp(rand([2]), asAny('a'))).toThrow('clamp: min must be a number, a Tensor or null, got the string "a"');
    expect(() => rand([2]).add_(asAny('1'))).toThrow('add_: expected a Tensor or a number, got the string "1"');
  });

  it('keepdim given as an options object throws ({ keepdim: false } kept the dims)', () => {
    expect(() => sum(rand([2, 3]), 1, asAny({ keepdim: false }))).toThrow(
      'keepdim must be true or false, got an object { keepdim: false }',
    );
    expect(sum(rand([2, 3]), 1, true).shape).toEqual([2, 1]);
  });

  it('a generator that is not a Generator names itself', () => {
    expect(() => randn([2], asAny({ generator: 5 }))).toThrow('randn: generator must be a Generator (new Generator(seed)), got 5');
    expect(() => randperm(3, asAny({ generator: {} }))).toThrow('randperm: generator must be a Generator');
    expect(Array.from(randn([3], { generator: new Generator(1) }).data())).toEqual(
      Array.from(randn([3], { generator: new Generator(1) }).data()),
    );
  });
});
