import { describe, expect, it } from 'vitest';
import { Tensor, env } from '../src/index.js';
import { sumSlotsJs } from '../src/kernels/js/allreduce.js';
import { adagradJs, adamJs, rmspropJs, sgdJs } from '../src/kernels/js/optim.js';
import { sumSlotsWasm } from '../src/kernels/wasm/allreduce.js';
import { adagradWasm, adamWasm, rmspropWasm, sgdWasm } from '../src/kernels/wasm/optim.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

/** `count` float32 slices of n elements in the shared memory, filled by `fill`. */
function slices(count: number, n: number, fill: () => number): Float32Array[] {
  return Array.from({ length: count }, () => {
    const data = Tensor.empty([n], 'float32').data() as Float32Array;
    for (let i = 0; i < n; i++) data[i] = fill();
    return data;
  });
}

/** Twin sets of slices with equal contents: one for the JS kernel, one for WebAssembly. */
function twins(count: number, n: number, next: () => number): [Float32Array[], Float32Array[]] {
  const js = slices(count, n, next);
  const wasm = slices(count, n, () => 0);
  wasm.forEach((s, i) => s.set(js[i]!));
  return [js, wasm];
}

function expectAllClose(got: Float32Array, want: Float32Array, what: string): void {
  for (let i = 0; i < want.length; i++) {
    const tol = 1e-5 * Math.max(1, Math.abs(want[i]!));
    if (!(Math.abs(got[i]! - want[i]!) <= tol)) expect.fail(`${what}[${i}]: ${got[i]} vs ${want[i]}`);
  }
}

const wasmOn = env.kernels !== 'js';
const lengths = [1, 3, 5, 17, 255, 1001];
const positive = (next: () => number) => () => Math.abs(next()) + 0.01;

describe.skipIf(!wasmOn)('optimizer updates: WebAssembly matches the TypeScript reference', () => {
  it.each([
    { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false },
    { momentum: 0.9, dampening: 0, weightDecay: 0.01, nesterov: true, maximize: false },
    { momentum: 0.5, dampening: 0.3, weightDecay: 0, nesterov: false, maximize: true },
  ])('SGD %o', (opts) => {
    const o = { lr: 0.1, ...opts };
    const next = lcg(1);
    for (const n of lengths) {
      const [js, wasm] = twins(3, n, next);
      for (let step = 1; step <= 3; step++) {
        sgdJs(js[0]!, js[1]!, o.momentum ? js[2]! : null, step === 1, o);
        sgdWasm(wasm[0]!, wasm[1]!, o.momentum ? wasm[2]! : null, step === 1, o);
      }
      js.forEach((s, i) => expectAllClose(wasm[i]!, s, `sgd n=${n} slice ${i}`));
    }
  });

  it.each([
    { weightDecay: 0, amsgrad: false, maximize: false, decoupledWeightDecay: false },
    { weightDecay: 0.1, amsgrad: true, maximize: false, decoupledWeightDecay: false },
    { weightDecay: 0.01, amsgrad: false, maximize: true, decoupledWeightDecay: true },
    { weightDecay: 0.01, amsgrad: true, maximize: false, decoupledWeightDecay: true },
  ])('Adam/AdamW %o', (opts) => {
    const o = { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, ...opts };
    const next = lcg(2);
    for (const n of lengths) {
      const [js, wasm] = twins(2, n, next);
      const [jsState, wasmState] = twins(3, n, () => 0);
      for (let step = 1; step <= 3; step++) {
        adamJs(js[0]!, js[1]!, jsState[0]!, jsState[1]!, o.amsgrad ? jsState[2]! : null, step, o);
        adamWasm(wasm[0]!, wasm[1]!, wasmState[0]!, wasmState[1]!, o.amsgrad ? wasmState[2]! : null, step, o);
      }
      expectAllClose(wasm[0]!, js[0]!, `adam n=${n} param`);
      jsState.forEach((s, i) => expectAllClose(wasmState[i]!, s, `adam n=${n} state ${i}`));
    }
  });

  it.each([
    { weightDecay: 0, momentum: 0, centered: false, maximize: false },
    { weightDecay: 0.01, momentum: 0.9, centered: true, maximize: false },
    { weightDecay: 0, momentum: 0.5, centered: false, maximize: true },
  ])('RMSprop %o', (opts) => {
    const o = { lr: 1e-2, alpha: 0.99, eps: 1e-8, ...opts };
    const next = lcg(3);
    for (const n of lengths) {
      const [js, wasm] = twins(2, n, next);
      const [jsState, wasmState] = twins(3, n, () => 0);
      for (let step = 1; step <= 3; step++) {
        rmspropJs(js[0]!, js[1]!, jsState[0]!, o.centered ? jsState[1]! : null, o.momentum ? jsState[2]! : null, o);
        rmspropWasm(wasm[0]!, wasm[1]!, wasmState[0]!, o.centered ? wasmState[1]! : null, o.momentum ? wasmState[2]! : null, o);
      }
      expectAllClose(wasm[0]!, js[0]!, `rmsprop n=${n} param`);
      jsState.forEach((s, i) => expectAllClose(wasmState[i]!, s, `rmsprop n=${n} state ${i}`));
    }
  });

  it.each([
    { lrDecay: 0, weightDecay: 0, maximize: false },
    { lrDecay: 0.1, weightDecay: 0.01, maximize: true },
  ])('Adagrad %o', (opts) => {
    const o = { lr: 1e-2, eps: 1e-10, ...opts };
    const next = lcg(4);
    for (const n of lengths) {
      const [js, wasm] = twins(2, n, next);
      const [jsState, wasmState] = twins(1, n, positive(next));
      for (let step = 1; step <= 3; step++) {
        adagradJs(js[0]!, js[1]!, jsState[0]!, step, o);
        adagradWasm(wasm[0]!, wasm[1]!, wasmState[0]!, step, o);
      }
      expectAllClose(wasm[0]!, js[0]!, `adagrad n=${n} param`);
      expectAllClose(wasmState[0]!, jsState[0]!, `adagrad n=${n} state`);
    }
  });

  it('rejects slices of different lengths or that overlap, before touching them', () => {
    const [p, g, m, v] = slices(4, 8, () => 1);
    const o = { lr: 1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupledWeightDecay: false };
    expect(() => adamWasm(p!, g!.subarray(1), m!, v!, null, 1, o)).toThrow(/adam: every slice must have the parameter's length 8/);
    expect(() => adamWasm(p!, g!, m!, p!, null, 1, o)).toThrow(/adam: slices 0 and 3 overlap/);
    expect(Array.from(p!)).toEqual(new Array(8).fill(1));
  });
});

describe.skipIf(!wasmOn)('sumSlots (all-reduce): WebAssembly matches the TypeScript reference bit for bit', () => {
  it('for 1 to 9 slots and lengths around the block size', () => {
    const next = lcg(5);
    for (let count = 1; count <= 9; count++) {
      for (const n of [1, 3, 5, 17, 255, 256, 257, 1001]) {
        const src = slices(count, n, () => next() * 1000);
        const [want, got] = slices(2, n, () => 0);
        sumSlotsJs(want!, src);
        sumSlotsWasm(got!, src);
        expect(Array.from(got!), `${count} slots of ${n}`).toEqual(Array.from(want!));
      }
    }
  });

  it('adds in the fixed pairwise tree ((s0 + s1) + (s2 + s3)) + s4', () => {
    const values = [1e8, 1, -1e8, 1, 3];
    const src = values.map((v) => slices(1, 4, () => v)[0]!);
    const [dst] = slices(1, 4, () => 0);
    sumSlotsWasm(dst!, src);
    const f = Math.fround;
    expect(dst![0]).toBe(f(f(f(1e8 + 1) + f(-1e8 + 1)) + 3));
  });

  it('may sum into its first slot; refuses partial overlap', () => {
    const next = lcg(6);
    const src = slices(4, 300, next);
    const [want] = slices(1, 300, () => 0);
    sumSlotsJs(want!, src);
    sumSlotsWasm(src[0]!, src);
    expect(Array.from(src[0]!)).toEqual(Array.from(want!));
    expect(() => sumSlotsWasm(src[1]!.subarray(0, 100), [src[1]!.subarray(1, 101)])).toThrow(/sumSlots: the destination overlaps slot 0/);
  });
});
