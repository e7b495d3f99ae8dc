import { afterEach, describe, expect, it } from 'vitest';
import {
  Allocator,
  gather,
  Linear,
  logSoftmax,
  manualSeed,
  memoryContext,
  noGrad,
  randint,
  randn,
  ReLU,
  Residency,
  Sequential,
  SharedMemory,
  tensor,
  type Tensor,
  unsqueeze,
  withArena,
} from '../src/index.js';

const residency = memoryContext().residency;
const defaultHeadroom = residency.minHeadroomBytes;
afterEach(() => {
  residency.minHeadroomBytes = defaultHeadroom;
});

describe('a PyTorch-style loop with no scope runs in bounded memory', () => {
  it('3,000 plain steps keep a flat high-water mark, and tensors kept from early steps keep their values', () => {
    // A small headroom makes the reclaiming passes frequent enough to matter in 3,000 small steps.
    residency.minHeadroomBytes = 1 << 20;
    manualSeed(0);
    const model = new Sequential(new Linear(32, 64), new ReLU(), new Linear(64, 32), new ReLU(), new Linear(32, 4));
    const x = randn([16, 32]);
    const y = unsqueeze(randint(0, 4, [16]), 1);
    const { allocator } = memoryContext();
    const passesBefore = residency.passes;
    const kept: [Tensor, number][] = [];
    let highWaterAt1000 = 0;
    for (let step = 1; step <= 3000; step++) {
      model.zeroGrad();
      const loss = gather(logSoftmax(model.forward(x), 1), 1, y)
        .mean()
        .neg();
      loss.backward();
      noGrad(() => {
        for (const p of model.parameters()) p.add_(p.grad!, -0.01);
      });
      if (step % 300 === 0) kept.push([loss, loss.item()]);
      if (step === 1000) highWaterAt1000 = allocator.highWater;
    }
    expect(residency.passes - passesBefore).toBeGreaterThan(5);
    expect(allocator.highWater).toBeLessThanOrEqual(highWaterAt1000 * 1.1);
    // Every kept loss was moved out of the shared memory by some pass, and comes back intact.
    for (const [loss, value] of kept) expect(loss.item()).toBe(value);
    expect(kept[kept.length - 1]![1]).toBeLessThan(kept[0]![1]);
  });

  it('the same loop inside withArena allocates nothing after the first step', () => {
    const model = new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 2));
    const x = randn([4, 8]);
    const step = (): number =>
      withArena(() => {
        model.zeroGrad();
        const loss = model.forward(x).pow(2).mean();
        loss.backward();
        return loss.item();
      });
    step();
    const hw = memoryContext().allocator.highWater;
    for (let i = 0; i < 100; i++) step();
    expect(memoryContext().allocator.highWater).toBe(hw);
  });
});

describe('dispose() frees a tensor now', () => {
  it('gives its region back and makes every later access throw', () => {
    const { allocator } = memoryContext();
    const t = randn([1024]);
    const view = t.narrow(0, 0, 4);
    const before = allocator.bytesInUse;
    t.dispose();
    expect(allocator.bytesInUse).toBe(before - 4096);
    expect(t.isDisposed).toBe(true);
    expect(() => t.sum()).toThrow(/disposed/);
    expect(() => view.tolist()).toThrow(/disposed/);
    t.dispose(); // idempotent
  });

  it('a loop that disposes all it makes keeps no trace of it: 100,000 tensors, no pass, a short queue', () => {
    const passes = residency.passes;
    const entries = residency.queuedEntries;
    for (let i = 0; i < 100_000; i++) {
      const t = tensor([i, i + 1]);
      expect(t.data()[1]).toBe(i + 1);
      t.dispose();
    }
    expect(residency.passes).toBe(passes);
    // Each disposed storage's entry is dropped along the way (before: 100,000 entries, each
    // holding its Storage object, for as long as no pass ran).
    expect(residency.queuedEntries).toBeLessThan(entries + 2048);
  });

  it('Symbol.dispose, as a `using` declaration calls it', () => {
    const t = tensor([1, 2, 3]);
    t[Symbol.dispose]();
    expect(() => t.tolist()).toThrow(/disposed/);
  });
});

describe('out of memory', () => {
  /** A region owner as a Storage is, for a residency over a small memory of its own. */
  function owner(bytes: number, lastUse: number) {
    return {
      byteLength: bytes,
      lastUse,
      ticket: 0,
      evicted: false,
      evict(this: { evicted: boolean }) {
        this.evicted = true;
      },
    };
  }

  it('moves out what was not used lately before giving up', () => {
    const allocator = new Allocator(new SharedMemory(undefined, 1 << 16), 0, 1 << 20);
    const r = new Residency(allocator, () => 0);
    const old = owner(600 << 10, 0);
    const offset = r.allocate(old);
    old.lastUse = 0; // not used since long before the last pass
    const fresh = owner(600 << 10, 0);
    old.evict = () => {
      old.evicted = true;
      r.release(old, offset);
    };
    r.allocate(fresh);
    expect(old.evicted).toBe(true);
  });

  it('says how much is live and what to do', () => {
    const allocator = new Allocator(new SharedMemory(undefined, 1 << 16), 0, 1 << 20);
    const r = new Residency(allocator, () => 0);
    r.allocate(owner(700 << 10, 0));
    expect(() => r.allocate(owner(700 << 10, 0))).toThrow(
      /out of memory allocating 716800 bytes .*0\.7 MiB of this thread's 1\.0 MiB is in use — 0\.7 MiB by 1 tensors used just now.*dispose\(\).*withArena/,
    );
  });
});
