import { afterEach, describe, expect, it } from 'vitest';
import { Tensor, adamKernel, memoryContext, tensor, where } from '../src/index.js';
import { churn } from './residency-churn.js';

const MiB = 1 << 20;

/** A float32 tensor of `n` elements, element i = i * scale, created persistently. */
function ramp(n: number, scale: number): Tensor {
  const t = Tensor.empty([n]);
  const d = t.data();
  for (let i = 0; i < n; i++) d[i] = i * scale;
  return t;
}

describe('a reclaiming pass never moves out a region an op in flight holds', () => {
  const residency = memoryContext().residency;
  const least = residency.minHeadroomBytes;
  afterEach(() => {
    residency.minHeadroomBytes = least;
  });

  it('where() over three moved-out 1 MiB operands, a pass at each: the result is right', () => {
    // With a least headroom of 64 KiB every 1 MiB allocation runs a pass. where() allocates its
    // output, then brings back its condition and two operands (three allocations, three passes),
    // while it holds the output's typed array: the third pass would move the output out under it.
    const n = MiB / 4;
    const cond = Tensor.empty([n], 'bool');
    const c = cond.data();
    for (let i = 0; i < n; i++) c[i] = i % 3 === 0 ? 1 : 0;
    const x = ramp(n, 1);
    const y = ramp(n, -1);
    residency.minHeadroomBytes = 64 << 10;
    churn(8, 2 * MiB); // x, y and cond move out
    const movedBefore = residency.evictedBytes;
    const passesBefore = residency.passes;
    const out = where(cond, x, y);
    expect(residency.passes - passesBefore).toBeGreaterThanOrEqual(3);
    expect(residency.evictedBytes).toBeGreaterThan(movedBefore);
    const o = out.data();
    for (let i = 0; i < n; i += 997) expect(o[i]).toBe(i % 3 === 0 ? i : -i);
    expect(o[n - 1]).toBe((n - 1) % 3 === 0 ? n - 1 : -(n - 1));
  });

  it("AMSGrad's kernel over five moved-out 1 MiB buffers, a pass as each comes back: every one is updated", () => {
    // An optimizer's kernel takes its parameter's, gradient's and three states' arrays in one call:
    // each comes back into the shared memory as its argument is evaluated, a pass at each, while
    // the arrays fetched before it are held for the kernel.
    const n = MiB / 4;
    const p = ramp(n, 1);
    const g = ramp(n, 0.5);
    const m = ramp(n, 0);
    const v = ramp(n, 0);
    const vMax = ramp(n, 0);
    residency.minHeadroomBytes = 64 << 10;
    churn(8, 2 * MiB);
    const passesBefore = residency.passes;
    const options = {
      lr: 0.1,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 0,
      amsgrad: true,
      maximize: false,
      decoupledWeightDecay: false,
    };
    // Fetched as an op's arguments are; the least set again before each so that the headroom's
    // adaptation (which would widen it after the first regions come back) does not skip a pass.
    const arrays = [p, g, m, v, vMax].map((t) => {
      residency.minHeadroomBytes = 64 << 10;
      return t.data() as Float32Array;
    });
    adamKernel.select('float32')(arrays[0]!, arrays[1]!, arrays[2]!, arrays[3]!, arrays[4]!, 1, options);
    expect(residency.passes - passesBefore).toBeGreaterThanOrEqual(4);
    // Step 1 of Adam moves every element with a non-zero gradient by lr against its sign.
    const pd = p.data();
    const md = m.data();
    for (let i = 1; i < n; i += 991) {
      expect(Math.abs(pd[i]! - (i - 0.1))).toBeLessThan(1e-6 * i + 1e-4);
      expect(Math.abs(md[i]! - 0.05 * i)).toBeLessThan(1e-6 * i + 1e-4);
    }
  });

  it('a small op after a thrash of passes still reads its operands', () => {
    residency.minHeadroomBytes = 64 << 10;
    const a = tensor([1, 2, 3]);
    churn(6, MiB);
    expect(Array.from(a.mul(2).data())).toEqual([2, 4, 6]);
  });
});
