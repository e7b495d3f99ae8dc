import type { TypedArray } from '../../dtype.js';

/** y[n, o, p] += bias[biasOff + o] for y laid out [N, O, P] (a convolution's bias). */
export function addChannelBiasJs(y: TypedArray, N: number, O: number, P: number, bias: TypedArray, biasOff: number): void {
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      const row = (n * O + o) * P;
      const b = bias[biasOff + o]!;
      for (let p = 0; p < P; p++) y[row + p] = y[row + p]! + b;
    }
  }
}

/** out[o] = Σ over n, p of g[n, o, p] for g laid out [N, O, P] (a convolution's bias gradient), summed in double. */
export function channelBiasGradJs(g: TypedArray, N: number, O: number, P: number, out: TypedArray): void {
  for (let o = 0; o < O; o++) {
    let s = 0;
    for (let n = 0; n < N; n++) for (let p = 0, row = (n * O + o) * P; p < P; p++) s += g[row + p]!;
    out[o] = s;
  }
}
