import { describe, expect, it } from 'vitest';
import { Headroom, memoryContext, randn } from '../src/index.js';

const MiB = 1 << 20;

/** A headroom of least 1 MiB (the default is 16 MiB: the arithmetic is the same at any least). */
function headroom(): Headroom {
  const h = new Headroom();
  h.minBytes = MiB;
  return h;
}

/** A headroom after `passes` passes with nothing brought back. */
function quiet(h: Headroom, passes: number): Headroom {
  for (let i = 0; i < passes; i++) h.pass();
  return h;
}

describe('the reclaiming headroom adapts to what comes back', () => {
  it('starts at its least, or a quarter of what the last pass kept if more', () => {
    const h = headroom();
    expect(h.bytes(0)).toBe(MiB);
    expect(h.bytes(40 * MiB)).toBe(10 * MiB);
  });

  it('grows to what would have kept a region in: moved out 2 passes ago, it needed 2.5×, so 4×', () => {
    const h = headroom();
    h.returned(256 << 10, 2);
    expect(h.bytes(0)).toBe(MiB); // takes effect at the next pass
    h.pass();
    expect(h.bytes(0)).toBe(4 * MiB);
  });

  it('ignores a few bytes read long after, and values reused too late for any headroom', () => {
    const h = headroom();
    h.returned(4, 0); // a loss kept for a log: 4 bytes, under a sixteenth of the least headroom
    h.pass();
    expect(h.bytes(0)).toBe(MiB);
    h.returned(8 * MiB, 200); // would need 101.5×, past the 64× limit
    h.pass();
    expect(h.bytes(0)).toBe(MiB);
  });

  it('halves after 16 quiet passes, and not again below a size whose halving brought regions back', () => {
    const h = headroom();
    h.returned(MiB, 3); // needs 3×: 4×
    h.pass();
    expect(quiet(h, 15).bytes(0)).toBe(4 * MiB);
    expect(quiet(h, 1).bytes(0)).toBe(2 * MiB);
    h.returned(MiB, 1); // at 2×, needed 4× again
    h.pass();
    expect(h.bytes(0)).toBe(4 * MiB);
    expect(quiet(h, 200).bytes(0)).toBe(4 * MiB);
  });

  it('a headroom grown by a one-off burst goes back to its least', () => {
    const h = headroom();
    h.returned(2 * MiB, 10); // parameters read again after a long setup: 6.5×, so 8×
    h.pass();
    expect(h.bytes(0)).toBe(8 * MiB);
    expect(quiet(h, 3 * 16).bytes(0)).toBe(MiB);
    expect(quiet(h, 100).bytes(0)).toBe(MiB);
  });
});

describe('in a loop that reads a value again late in each step', () => {
  it('the headroom grows until passes stop moving it out', () => {
    // This file's own memory context: no earlier test has moved the headroom.
    const residency = memoryContext().residency;
    residency.minHeadroomBytes = 64 << 10;
    const start = residency.headroomBytes;
    // Each step makes a 64 KiB value, then 8 × 64 KiB of temporaries, then reads the first value
    // again (as backward reads a step's activations): 576 KiB a step, past the headroom. Other
    // small reads between them (300 a step) put the value past the last 256 accesses, which a
    // pass always keeps.
    const small = randn([4]);
    const step = (): number => {
      const early = randn([1 << 14]);
      for (let k = 0; k < 8; k++) {
        randn([1 << 14]);
        for (let r = 0; r < 40; r++) small.data();
      }
      return early.sum().item();
    };
    for (let i = 0; i < 50; i++) step();
    // It was too small at first; then, after one try at halving it (after 16 passes with nothing
    // brought back) brought the value back once more, it settled.
    expect(residency.returnedBytes).toBeGreaterThan(0);
    const returnedSettled = residency.returnedBytes;
    for (let i = 0; i < 40; i++) step();
    expect(residency.returnedBytes).toBe(returnedSettled);
    expect(residency.headroomBytes).toBeGreaterThan(start);
  });
});
