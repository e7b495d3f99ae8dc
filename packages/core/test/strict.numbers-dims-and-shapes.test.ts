import { describe, expect, it } from 'vitest';
import {
  arange,
  clipGradNorm_,
  clipGradValue_,
  expand,
  eye,
  full,
  fullLike,
  init,
  layerNorm,
  mean,
  randint,
  randn,
  randperm,
  softmax,
  sum,
  tensor,
  zeros,
} from '../src/index.js';

/** Numbers, dims and sizes of the wrong kind, found by an audit passing silently or printing "[object Object]". */
const asAny = <T>(value: unknown): T => value as T;

describe('a dim that is not an integer throws naming it', () => {
  const x = tensor([
    [1, 2],
    [3, 4],
  ]);

  it('an options object as dim summed over nothing ({ dim: 1 } gave x back); now it throws', () => {
    expect(() => sum(x, asAny({ dim: 1 }))).toThrowError('sum: dim must be an integer, a list of them or null, got an object { dim: 1 }');
    expect(() => mean(x, asAny('1'))).toThrowError('mean: dim must be an integer, a list of them or null, got the string "1"');
    expect(() => softmax(x, asAny({ dim: 1 }))).toThrowError('softmax: dim must be an integer, got an object { dim: 1 }');
  });

  it('null is PyTorch\'s dim=None: every dim (it threw "Cannot read properties of null")', () => {
    expect(sum(x, asAny(null)).item()).toBe(10);
    expect(sum(x, [0, 1]).item()).toBe(10);
  });
});

describe('numbers of creation, init and clipping are checked', () => {
  it("full's value must be a number ('1' was stored as 1, null as 0, an object as NaN)", () => {
    expect(() => full([2], asAny('1'))).toThrowError('full: fill value must be a number, got the string "1"');
    expect(() => fullLike(zeros([2]), asAny(null))).toThrowError('fullLike: fill value must be a number, got null');
    expect(full([2], NaN).tolist()).toEqual([NaN, NaN]);
  });

  it('arange, eye, randint and randperm sizes and bounds', () => {
    expect(() => arange(asAny('3'))).toThrowError('arange: end must be a number, got the string "3"');
    expect(() => arange(0, 3, asAny(null))).toThrowError('arange: step must be a number, got null');
    expect(() => eye(asAny({ n: 2 }))).toThrowError('eye: n must be a non-negative integer, got an object { n: 2 }');
    expect(() => randint(0, asAny('5'), [2])).toThrowError('randint: high must be an integer, got the string "5"');
    expect(() => randperm(asAny(null))).toThrowError('randperm: n must be a non-negative integer, got null');
    expect(arange(3).tolist()).toEqual([0, 1, 2]);
  });

  it('init functions refuse an options object where PyTorch has keyword numbers (normal_ filled NaN)', () => {
    const w = zeros([3, 4]);
    expect(() => init.normal_(w, asAny({ mean: 0, std: 1 }))).toThrowError(
      "normal_: mean must be a number, got an object { mean: 0, std: 1 }; normal_ takes its numbers positionally, in PyTorch's order",
    );
    expect(() => init.uniform_(w, -1, asAny('1'))).toThrowError('uniform_: b must be a number, got the string "1"');
    expect(() => init.xavierUniform_(w, asAny({ gain: 2 }))).toThrowError(
      'xavierUniform_: gain must be a number, got an object { gain: 2 }',
    );
    expect(() => init.kaimingNormal_(w, asAny({ a: 0 }), 'fanIn', 'relu')).toThrowError(
      'kaiming: a must be a number, got an object { a: 0 }',
    );
    expect(() => init.constant_(w, asAny('0.5'))).toThrowError('constant_: value must be a number, got the string "0.5"');
    expect(() => init.uniform_(w, 0, 1, asAny(3))).toThrowError('uniform_: generator must be a Generator (new Generator(seed)), got 3');
  });

  it('clipGradNorm_ and clipGradValue_ bounds (an object or a string clipped by nothing)', () => {
    const p = randn([3], { requiresGrad: true });
    p.grad = tensor([3, 4, 0]);
    expect(() => clipGradNorm_([p], asAny({ maxNorm: 1 }))).toThrowError(
      'clipGradNorm_: maxNorm must be a number, got an object { maxNorm: 1 }',
    );
    expect(() => clipGradNorm_([p], 1, asAny('2'))).toThrowError('clipGradNorm_: normType must be a number, got the string "2"');
    expect(() => clipGradValue_([p], asAny(null))).toThrowError('clipGradValue_: clipValue must be a number, got null');
    expect(clipGradNorm_([p], 1)).toBeCloseTo(5, 6);
    const [g0, g1, g2] = Array.from(p.grad.data());
    expect([g0, g1, g2].map((v) => Number(v!.toFixed(5)))).toEqual([0.6, 0.8, 0]);
  });

  it("layerNorm's eps and expand's sizes", () => {
    const x = randn([2, 3]);
    expect(() => layerNorm(x, [3], null, null, asAny('1e-5'))).toThrowError('layerNorm: eps must be a number, got the string "1e-5"');
    expect(() => expand(randn([1, 3]), asAny([{ n: 2 }, 3]))).toThrowError(
      'expand: sizes must be integers ≥ 0, or -1 to keep a dim, got [an object { n: 2 },3]',
    );
    expect(() => expand(randn([1, 3]), [NaN, 3])).toThrowError('expand: sizes must be integers ≥ 0, or -1 to keep a dim, got [NaN,3]');
    expect(expand(tensor([[1, 2, 3]]), [2, -1]).tolist()).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
  });
});
