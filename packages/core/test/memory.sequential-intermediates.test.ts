import { afterEach, describe, expect, it } from 'vitest';
import {
  Flatten,
  gather,
  Linear,
  logSoftmax,
  manualSeed,
  memoryContext,
  Module,
  noGrad,
  randint,
  randn,
  ReLU,
  Sequential,
  type Tensor,
  unsqueeze,
} from '../src/index.js';

/** The ReLU output inside Sequential(Linear, ReLU, Linear): the input of the last Linear's product. */
function hiddenOf(out: Tensor): Tensor {
  const product = out.gradFn!.inputs[0]!; // out = product + bias
  return product.gradFn!.inputs[0]!; // product = hidden · Wᵀ
}

function model(): Sequential {
  manualSeed(3);
  return new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
}

/** The gradients of every parameter of `m` after `run`, as plain arrays. */
function gradsAfter(m: Module, run: () => void): number[][] {
  m.zeroGrad();
  run();
  return m.parameters().map((p) => Array.from(p.grad!.toArray() as Float32Array));
}

/** The same layers called one by one: nothing is freed. */
function byHand(m: Sequential, x: Tensor): Tensor {
  let h = x;
  for (const layer of m) h = layer.forward(h);
  return h;
}

describe('Sequential frees the values between its layers once nothing can need them', () => {
  it('after backward: the hidden values are gone, the gradients are those of the layers called by hand', () => {
    const m = model();
    const x = randn([5, 4]);
    const expected = gradsAfter(m, () => byHand(m, x).sum().backward());
    let hidden: Tensor | null = null;
    const got = gradsAfter(m, () => {
      const out = m.forward(x);
      hidden = hiddenOf(out);
      expect(hidden.isDisposed).toBe(false);
      out.sum().backward();
      expect(out.tolist()).toEqual(byHand(m, x).tolist());
    });
    expect(got).toEqual(expected);
    expect(hidden!.isDisposed).toBe(true);
    expect(() => hidden!.tolist()).toThrow(/intermediate value inside a built-in module .*retainGraph/);
    expect(x.isDisposed).toBe(false);
  });

  it('backward with retainGraph keeps them for a second backward, which then frees them', () => {
    const m = model();
    const x = randn([5, 4]);
    const once = gradsAfter(m, () => byHand(m, x).sum().backward());
    let hidden: Tensor | null = null;
    const twice = gradsAfter(m, () => {
      const loss = m.forward(x).sum();
      hidden = hiddenOf(loss.gradFn!.inputs[0]!);
      loss.backward({ retainGraph: true });
      expect(hidden.isDisposed).toBe(false);
      loss.backward();
      expect(hidden.isDisposed).toBe(true);
    });
    // Two backward passes accumulate twice the gradient (exactly: g + g = 2g).
    expect(twice).toEqual(once.map((g) => g.map((v) => 2 * v)));
  });

  it('without autograd they are freed at once, and the output is right', () => {
    const m = model();
    const x = randn([5, 4]);
    const expected = byHand(m, x).tolist();
    const { allocator } = memoryContext();
    const out = noGrad(() => m.forward(x));
    const inUse = allocator.bytesInUse;
    expect(out.tolist()).toEqual(expected);
    // The hidden [5, 8] values (two of them: Linear's and ReLU's outputs) no longer hold a region.
    const again = noGrad(() => byHand(m, x));
    expect(allocator.bytesInUse - inUse).toBeGreaterThanOrEqual(2 * 5 * 8 * 4);
    expect(again.tolist()).toEqual(expected);
  });

  it('a layer that returns a view of its input keeps the input; an output that views a hidden value keeps it', () => {
    manualSeed(4);
    const x = randn([2, 3, 4]);
    const m = new Sequential(new Flatten(), new Linear(12, 2), new ReLU(), new Flatten(0));
    const out = m.forward(x);
    const expected = out.tolist();
    out.sum().backward();
    expect(x.isDisposed).toBe(false);
    expect(x.toArray()).toHaveLength(24);
    expect(out.isDisposed).toBe(false);
    expect(out.tolist()).toEqual(expected);
  });

  it('a layer of user code (or a subclass of a built-in one) may keep tensors: then nothing is freed', () => {
    class Keep extends Module {
      readonly seen: Tensor[] = [];
      forward(input: Tensor): Tensor {
        this.seen.push(input);
        return input.relu();
      }
    }
    class MyReLU extends ReLU {}
    const keep = new Keep();
    const x = randn([3, 4]);
    for (const m of [
      new Sequential(new Linear(4, 8), keep, new Linear(8, 2)),
      new Sequential(new Linear(4, 8), new MyReLU(), new Linear(8, 2)),
    ]) {
      const out = m.forward(x);
      const hidden = hiddenOf(out);
      out.sum().backward();
      expect(hidden.isDisposed).toBe(false);
      expect(hidden.toArray()).toHaveLength(24);
    }
    expect(keep.seen[0]!.toArray()).toHaveLength(24);
  });
});

describe('a plain training loop moves out only what user code made', () => {
  const residency = memoryContext().residency;
  const defaultHeadroom = residency.minHeadroomBytes;
  afterEach(() => {
    residency.minHeadroomBytes = defaultHeadroom;
  });

  /** Bytes moved out per step of `steps` plain steps of an MLP of hidden width 64, batch 16. */
  function movedOutPerStep(net: Module, steps: number): number {
    const x = randn([16, 32]);
    const y = unsqueeze(randint(0, 4, [16]), 1);
    const before = residency.evictedBytes;
    for (let step = 0; step < steps; step++) {
      net.zeroGrad();
      gather(logSoftmax(net.forward(x), 1), 1, y)
        .mean()
        .neg()
        .backward();
    }
    return (residency.evictedBytes - before) / steps;
  }

  it("the layers' intermediate values are freed, not moved out: only the loss's few values are", () => {
    residency.minHeadroomBytes = 64 << 10;
    manualSeed(0);
    const layers = () => [new Linear(32, 64), new ReLU(), new Linear(64, 64), new ReLU(), new Linear(64, 4)] as const;
    // Each step makes four [16, 64] hidden values (4 KiB each); the loss's tensors take under 1 KiB.
    const freed = movedOutPerStep(new Sequential(...layers()), 400);
    expect(freed).toBeLessThan(1024);
    // The same network with a layer of user code in it (which might keep them): they are moved out.
    class Same extends Module {
      forward(input: Tensor): Tensor {
        return input;
      }
    }
    const kept = movedOutPerStep(new Sequential(...layers(), new Same()), 400);
    expect(kept).toBeGreaterThan(12 << 10);
  });
});
