import { describe, expect, it } from 'vitest';
import { Generator, manualSeed, rand, randint, randn, randperm } from '../src/index.js';

describe('seeded random numbers', () => {
  it('the same seed gives the same numbers; another seed other numbers', () => {
    manualSeed(3);
    const a = randn([100]).toArray();
    manualSeed(3);
    const b = randn([100]).toArray();
    manualSeed(4);
    const c = randn([100]).toArray();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('a saved generator state resumes exactly the same stream', () => {
    const g = new Generator(11);
    rand([7], { generator: g });
    const state = g.getState();
    const next = rand([50], { generator: g, dtype: 'float64' }).toArray();
    const other = new Generator(0).setState(state);
    expect(Array.from(rand([50], { generator: other, dtype: 'float64' }).toArray())).toEqual(Array.from(next));
    expect(() => g.setState([1, 2, 3])).toThrow(/four 32-bit words/);
  });

  it('distributions have the right support and moments', () => {
    const g = new Generator(5);
    const u = rand([20000], { generator: g }).toArray();
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const n = Array.from(randn([20000], { generator: g, dtype: 'float64' }).toArray());
    const mean = n.reduce((s, v) => s + v, 0) / n.length;
    const variance = n.reduce((s, v) => s + (v - mean) ** 2, 0) / n.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    const k = randint(-2, 3, [5000], { generator: g }).toArray();
    expect(new Set(k)).toEqual(new Set([-2, -1, 0, 1, 2]));
    const p = Array.from(randperm(50, { generator: g }).toArray()).sort((x, y) => x - y);
    expect(p).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
