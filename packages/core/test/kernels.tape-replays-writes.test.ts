import { describe, expect, it } from 'vitest';
import { add, full, KernelTape, matmul, memoryContext, mul, recordKernels, relu, tensor, type Tensor, withArena } from '../src/index.js';

/** relu(x·w + b) · 0.5 in an arena scope, recorded onto `tape` when given; returns the output's bytes (a view). */
function step(x: Tensor, w: Tensor, b: Tensor, tape?: KernelTape): Float32Array {
  const run = (): Float32Array => withArena(() => mul(relu(add(matmul(x, w), b)), full([2, 2], 0.5)).data() as Float32Array);
  return tape ? recordKernels(tape, run) : run();
}

describe('KernelTape: a recorded piece of work replays its memory writes', () => {
  it('recomputes from the inputs as they are now, to the bits of running it again', () => {
    const x = tensor([1, -2, 3, 4, 0.5, -1], { shape: [2, 3] });
    const w = tensor([0.5, 1, -1, 2, 0.25, -0.75], { shape: [3, 2] });
    const b = tensor([0.1, -0.2]);
    const tape = new KernelTape();
    const out = step(x, w, b, tape);
    expect(tape.length).toBeGreaterThan(3);
    // New inputs in the same memory: replay writes what a fresh run writes.
    (x.data() as Float32Array).set([-1, 2, 0.5, 3, -4, 1]);
    (b.data() as Float32Array).set([1, 1]);
    out.fill(Number.NaN);
    tape.replay();
    const replayed = Array.from(out);
    const fresh = Array.from(step(x, w, b));
    expect(replayed).toEqual(fresh);
    expect(replayed).not.toContain(Number.NaN);
  });

  it('replays fills too (a constant made inside the recording)', () => {
    const x = tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3] });
    const w = tensor([1, 0, 0, 1, 1, 1], { shape: [3, 2] });
    const b = tensor([0, 0]);
    const tape = new KernelTape();
    const { arena } = memoryContext();
    const start = arena.mark();
    arena.watchPeak();
    const out = step(x, w, b, tape);
    const expected = Array.from(out);
    // Poison everything the scope wrote, the 0.5s of `full` included: replay must write them again.
    arena.fillBetween(start, arena.peak(), 0xff);
    expect(Array.from(out)).toEqual([Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
    tape.replay();
    expect(Array.from(out)).toEqual(expected);
  });

  it('tells tapes of the same calls from tapes of other shapes or scalars', () => {
    const x = tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3] });
    const w = tensor([1, 0, 0, 1, 1, 1], { shape: [3, 2] });
    const b = tensor([0, 0]);
    const record = (fn: () => void): KernelTape => {
      const tape = new KernelTape();
      recordKernels(tape, () => withArena(fn));
      return tape;
    };
    const first = record(() => void step(x, w, b));
    expect(record(() => void step(x, w, b)).sameAs(first)).toBe(true);
    expect(record(() => void mul(x, 2)).sameAs(record(() => void mul(x, 3)))).toBe(false);
    expect(record(() => void mul(x, 2)).sameAs(record(() => void mul(w, 2)))).toBe(false);
  });

  it('does not nest recordings', () => {
    expect(() => recordKernels(new KernelTape(), () => recordKernels(new KernelTape(), () => 0))).toThrow(/do not nest/);
  });
});
