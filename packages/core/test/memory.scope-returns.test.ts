import { describe, expect, it } from 'vitest';
import { memoryContext, ones, persistent, tensor, type Tensor, withArena } from '../src/index.js';

/** Fills the arena over whatever the last scope used, as any later step would. */
function scribble(): void {
  withArena(() => ones([4096]).mul(7).sum().item());
}

describe('withArena keeps what it returns, as TensorFlow.js tidy does', () => {
  it('a returned tensor keeps its values after later scopes reuse the arena', () => {
    const y = withArena(() => tensor([1, 2, 3]).mul(2));
    scribble();
    withArena(() => tensor([7, 7, 7]).mul(1));
    expect(y.tolist()).toEqual([2, 4, 6]);
    expect(y.add(1).tolist()).toEqual([3, 5, 7]);
  });

  it('arrays and plain objects of tensors are kept, views included', () => {
    const out = withArena(() => {
      const a = tensor([
        [1, 2],
        [3, 4],
      ]);
      return { pair: [a.mul(10), a.t()], nested: { row: a.narrow(0, 1, 1) }, n: 5 };
    });
    scribble();
    expect(out.pair[0]!.tolist()).toEqual([
      [10, 20],
      [30, 40],
    ]);
    expect(out.pair[1]!.tolist()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(out.nested.row.tolist()).toEqual([[3, 4]]);
    expect(out.n).toBe(5);
  });

  it("a returned tensor's graph still backpropagates: d/dx Σ x·eˣ = eˣ(1 + x)", () => {
    const x = tensor([1, 2, 3]).requiresGrad_();
    const y = withArena(() => x.exp().mul(x).sum());
    scribble();
    // Hand-computed: e + 2e² + 3e³ and eˣ(1 + x) at 1, 2, 3.
    const e = Math.E;
    expect(y.item()).toBeCloseTo(e + 2 * e ** 2 + 3 * e ** 3, 3);
    expect(y.item()).toBeCloseTo(77.75, 1);
    y.backward();
    const grad = x.grad!.toArray();
    [1, 2, 3].forEach((v, i) => expect(grad[i]).toBeCloseTo(Math.exp(v) * (1 + v), 3));
    expect(Array.from(grad, (g) => Number(g.toFixed(2)))).toEqual([5.44, 22.17, 80.34]);
  });

  it('a tensor that leaks out of a scope any other way throws, naming the scope and the fix', () => {
    let leaked: Tensor | null = null;
    withArena(() => {
      leaked = tensor([1, 2]).mul(3);
    });
    scribble();
    expect(() => leaked!.tolist()).toThrow(/created inside withArena \(scope #\d+\) and read after that scope ended.*Return it/);
    expect(() => leaked!.add(1)).toThrow(/withArena/);
  });

  it('nested scopes: the inner result survives the inner scope, persistent() tensors survive both', () => {
    let kept: Tensor | null = null;
    const outer = withArena(() => {
      const inner = withArena(() => tensor([1, 2]).add(1));
      scribble();
      kept = persistent(() => tensor([5, 6]).mul(2));
      return inner.mul(2);
    });
    scribble();
    expect(outer.tolist()).toEqual([4, 6]);
    expect(kept!.tolist()).toEqual([10, 12]);
  });

  it('returning a number costs nothing: the arena high-water mark stays put', () => {
    const step = (): number => withArena(() => ones([256]).mul(2).sum().item());
    step();
    const hw = memoryContext().allocator.highWater;
    for (let i = 0; i < 50; i++) expect(step()).toBe(512);
    expect(memoryContext().allocator.highWater).toBe(hw);
  });
});
