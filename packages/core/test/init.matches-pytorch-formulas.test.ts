import { describe, expect, it } from 'vitest';
import { Conv2d, Embedding, Generator, LayerNorm, Linear, empty, init, withArena, zeros, type Tensor } from '../src/index.js';

function stats(t: Tensor): { min: number; max: number; mean: number; std: number } {
  const v = Array.from(t.toArray());
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const std = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length);
  return { min: v.reduce((m, x) => Math.min(m, x), Infinity), max: v.reduce((m, x) => Math.max(m, x), -Infinity), mean, std };
}

/** A uniform sample on ±bound fills its range and has std bound/√3. */
function expectUniform(t: Tensor, bound: number): void {
  const s = stats(t);
  expect(s.min).toBeGreaterThanOrEqual(-bound);
  expect(s.max).toBeLessThanOrEqual(bound);
  expect(s.min).toBeLessThan(-0.99 * bound);
  expect(s.max).toBeGreaterThan(0.99 * bound);
  expect(Math.abs(s.mean)).toBeLessThan(0.02 * bound);
  expect(s.std / (bound / Math.sqrt(3))).toBeCloseTo(1, 1);
}

function expectNormal(t: Tensor, std: number): void {
  const s = stats(t);
  expect(Math.abs(s.mean)).toBeLessThan(0.02 * std);
  expect(s.std / std).toBeCloseTo(1, 1);
}

describe('nn.init follows PyTorch formulas', () => {
  it('computes fans with the receptive field and PyTorch gains', () => {
    expect(init.calculateFanInAndFanOut(empty([20, 10]))).toEqual([10, 20]);
    expect(init.calculateFanInAndFanOut(empty([16, 3, 5, 5]))).toEqual([75, 400]);
    expect(() => init.calculateFanInAndFanOut(empty([5]))).toThrow(/fewer than 2 dimensions \(shape \[5\]\)/);
    expect(init.calculateGain('linear')).toBe(1);
    expect(init.calculateGain('conv2d')).toBe(1);
    expect(init.calculateGain('sigmoid')).toBe(1);
    expect(init.calculateGain('tanh')).toBe(5 / 3);
    expect(init.calculateGain('relu')).toBe(Math.SQRT2);
    expect(init.calculateGain('selu')).toBe(0.75);
    expect(init.calculateGain('leaky_relu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 15);
    expect(init.calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 15);
  });

  it('kaimingUniform_: bound = gain·√(3/fan)', () => {
    const w = empty([400, 250]);
    init.kaimingUniform_(w, 0, 'fanIn', 'relu', new Generator(1));
    expectUniform(w, Math.SQRT2 * Math.sqrt(3 / 250));
    init.kaimingUniform_(w, 0, 'fanOut', 'relu', new Generator(2));
    expectUniform(w, Math.SQRT2 * Math.sqrt(3 / 400));
  });

  it('kaimingNormal_: std = gain/√fan', () => {
    const w = empty([300, 200], { dtype: 'float64' });
    init.kaimingNormal_(w, 0.2, 'fanIn', 'leaky_relu', new Generator(3));
    expectNormal(w, Math.sqrt(2 / (1 + 0.04)) / Math.sqrt(200));
  });

  it('xavierUniform_ and xavierNormal_: std = gain·√(2/(fanIn+fanOut))', () => {
    const w = empty([300, 500]);
    init.xavierUniform_(w, 2, new Generator(4));
    expectUniform(w, 2 * Math.sqrt(6 / 800));
    init.xavierNormal_(w, 1, new Generator(5));
    expectNormal(w, Math.sqrt(2 / 800));
  });

  it('uniform_, normal_, constant_ also fill non-contiguous views', () => {
    const base = zeros([4, 6]);
    const view = base.transpose(0, 1).narrow(0, 0, 3);
    init.constant_(view, 7);
    expect(base.tolist()).toEqual(Array.from({ length: 4 }, () => [7, 7, 7, 0, 0, 0]));
    init.uniform_(view, -1, 1, new Generator(6));
    expect(base.narrow(1, 3, 3).tolist()).toEqual(Array.from({ length: 4 }, () => [0, 0, 0]));
    expect(Array.from(base.narrow(1, 0, 3).contiguous().data()).every((v) => v >= -1 && v < 1 && v !== 7)).toBe(true);
    expect(() => init.normal_(zeros([2], { dtype: 'int32' }))).toThrow('normal_: expected a floating-point tensor, got dtype int32');
  });

  it('draws the same values from the same seed', () => {
    const a = init.kaimingUniform_(empty([8, 8]), Math.sqrt(5), 'fanIn', 'leaky_relu', new Generator(9));
    const b = init.kaimingUniform_(empty([8, 8]), Math.sqrt(5), 'fanIn', 'leaky_relu', new Generator(9));
    expect(a.tolist()).toEqual(b.tolist());
  });
});

describe('default initialisation of the modules (reset_parameters)', () => {
  it('Linear: weight and bias uniform in ±1/√inFeatures', () => {
    const lin = new Linear(300, 400, { generator: new Generator(10) });
    expectUniform(lin.weight, 1 / Math.sqrt(300));
    const b = stats(lin.bias!);
    expect(b.max).toBeLessThanOrEqual(1 / Math.sqrt(300));
    expect(b.min).toBeGreaterThanOrEqual(-1 / Math.sqrt(300));
    expect(b.max).toBeGreaterThan(0.9 / Math.sqrt(300));
  });

  it('Conv2d: bound 1/√(inChannels·kH·kW)', () => {
    const conv = new Conv2d(8, 64, 3, { generator: new Generator(11) });
    expect(conv.weight.shape).toEqual([64, 8, 3, 3]);
    expectUniform(conv.weight, 1 / Math.sqrt(72));
    expect(stats(conv.bias!).max).toBeLessThanOrEqual(1 / Math.sqrt(72));
  });

  it('Embedding: N(0, 1) with a zero padding row; LayerNorm: ones and zeros', () => {
    const emb = new Embedding(1000, 64, { paddingIdx: -1, generator: new Generator(12) });
    expect(emb.paddingIdx).toBe(999);
    expect(
      emb.weight
        .narrow(0, 999, 1)
        .toArray()
        .every((v) => v === 0),
    ).toBe(true);
    expectNormal(emb.weight.narrow(0, 0, 999), 1);
    const ln = new LayerNorm([2, 3]);
    expect(ln.weight!.tolist()).toEqual([
      [1, 1, 1],
      [1, 1, 1],
    ]);
    expect(ln.bias!.tolist()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(new LayerNorm(4, { elementwiseAffine: false }).parameters()).toHaveLength(0);
  });

  it('allocates parameters persistently even inside withArena', () => {
    const lin = withArena(() => new Linear(3, 2));
    const values = lin.weight.tolist();
    withArena(() => empty([4096]).fill_(5));
    expect(lin.weight.tolist()).toEqual(values);
  });
});
