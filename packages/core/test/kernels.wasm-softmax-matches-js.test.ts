import { describe, expect, it } from 'vitest';
import { Tensor, env } from '../src/index.js';
import { logsumexpRowsJs, softmaxRowsBackwardJs, softmaxRowsJs } from '../src/kernels/js/softmax.js';
import { softmaxXentRowsJs } from '../src/kernels/js/softmax-xent.js';
import { logsumexpRowsWasm, softmaxRowsBackwardWasm, softmaxRowsWasm, softmaxXentRowsWasm } from '../src/kernels/wasm/softmax.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

function shared(n: number, fill: (i: number) => number): Float32Array {
  const data = Tensor.empty([Math.max(n, 1)], 'float32').data() as Float32Array;
  for (let i = 0; i < data.length; i++) data[i] = fill(i);
  return data;
}

/** Equal where both are NaN or ±∞ alike, else within 4 float32 ulps relative (+ `atol`). */
function expectNear(got: Float32Array, want: Float32Array, count: number, what: string, atol = 1e-7): void {
  for (let i = 0; i < count; i++) {
    const [a, b] = [got[i]!, want[i]!];
    if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) continue;
    if (!(Math.abs(a - b) <= 4.8e-7 * Math.abs(b) + atol)) expect.fail(`${what}[${i}]: ${a} vs ${b}`);
  }
}

const wasmOn = env.kernels !== 'js';
const shapes: [number, number][] = [
  [1, 1],
  [3, 5],
  [5, 17],
  [17, 3],
  [2, 255],
  [4, 1000],
];

describe.skipIf(!wasmOn)('softmax kernels: WebAssembly matches the TypeScript reference', () => {
  it.each([false, true])('softmax rows (log=%s) and their backward, logits up to ±30', (log) => {
    const next = lcg(31);
    for (const [rows, n] of shapes) {
      const x = shared(rows * n, () => 30 * next());
      const [want, got] = [shared(rows * n, () => 0), shared(rows * n, () => 0)];
      softmaxRowsJs(rows, n, x, 0, want, 0, log);
      softmaxRowsWasm(rows, n, x, 0, got, 0, log);
      expectNear(got, want, rows * n, `softmax log=${log} ${rows}x${n}`, log ? 2e-6 : 1e-7);
      const g = shared(rows * n, next);
      const [wantG, gotG] = [shared(rows * n, () => 0), shared(rows * n, () => 0)];
      softmaxRowsBackwardJs(rows, n, want, 0, g, 0, wantG, 0, log);
      softmaxRowsBackwardWasm(rows, n, want, 0, g, 0, gotG, 0, log);
      expectNear(gotG, wantG, rows * n, `softmax backward log=${log} ${rows}x${n}`, 1e-6);
    }
  });

  it('keeps PyTorch special values: −∞ logits get probability 0, NaN rows and all −∞ rows give NaN', () => {
    const x = shared(12, () => 0);
    x.set([0, -Infinity, 1, 2, NaN, 1, 0, 0, -Infinity, -Infinity, -Infinity, -Infinity]);
    for (const log of [false, true]) {
      const [want, got] = [shared(12, () => 0), shared(12, () => 0)];
      softmaxRowsJs(3, 4, x, 0, want, 0, log);
      softmaxRowsWasm(3, 4, x, 0, got, 0, log);
      expectNear(got, want, 12, `special log=${log}`, 1e-6);
      expect(got[1]).toBe(log ? -Infinity : 0);
    }
  });

  it('logsumexp of rows, with ±∞ and NaN rows', () => {
    const next = lcg(32);
    for (const [rows, n] of shapes) {
      const x = shared(rows * n, () => 50 * next());
      const [want, got] = [shared(rows, () => 0), shared(rows, () => 0)];
      logsumexpRowsJs(rows, n, x, 0, want, 0);
      logsumexpRowsWasm(rows, n, x, 0, got, 0);
      expectNear(got, want, rows, `logsumexp ${rows}x${n}`, 1e-5);
    }
    const x = shared(9, () => 0);
    x.set([-Infinity, -Infinity, -Infinity, 1, Infinity, 0, NaN, 1, 2]);
    const [want, got] = [shared(3, () => 0), shared(3, () => 0)];
    logsumexpRowsJs(3, 3, x, 0, want, 0);
    logsumexpRowsWasm(3, 3, x, 0, got, 0);
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  it('fused softmax-cross-entropy: per-row loss and gradient, ignored rows zero', () => {
    const next = lcg(33);
    for (const [rows, n] of shapes) {
      const x = shared(rows * n, () => 10 * next());
      const targets = Tensor.empty([rows], 'int32').data() as Int32Array;
      for (let r = 0; r < rows; r++) targets[r] = r % 3 === 2 ? -100 : (r * 7) % n;
      const [wantL, gotL] = [shared(rows, () => 0), shared(rows, () => 0)];
      const [wantG, gotG] = [shared(rows * n, () => 0), shared(rows * n, () => 9)];
      softmaxXentRowsJs(rows, n, x, 0, targets, 0, wantL, 0, wantG, 0);
      softmaxXentRowsWasm(rows, n, x, 0, targets, 0, gotL, 0, gotG, 0);
      expectNear(gotL, wantL, rows, `xent loss ${rows}x${n}`, 2e-6);
      expectNear(gotG, wantG, rows * n, `xent grad ${rows}x${n}`, 1e-7);
      softmaxXentRowsWasm(rows, n, x, 0, targets, 0, gotL, 0, null, 0);
      expectNear(gotL, wantL, rows, `xent loss only ${rows}x${n}`, 2e-6);
    }
  });

  it('refuses outputs that overlap the logits', () => {
    const x = shared(20, () => 1);
    const targets = Tensor.empty([4], 'int32').data() as Int32Array;
    expect(() => softmaxXentRowsWasm(4, 5, x, 0, targets, 0, x, 2, null, 0)).toThrow(
      /softmax cross-entropy kernel: an output overlaps the logits/,
    );
  });
});
