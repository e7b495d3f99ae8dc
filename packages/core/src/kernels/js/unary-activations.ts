/** The activation entries of the unary op table (see unary.ts): forward and backward as PyTorch's CPU kernels compute them. */
import * as code from '../unary-codes.js';
import { erf } from './erf.js';
import { clampForward, sigmoid, type UnaryOpEntry } from './unary-entry.js';

const NONE = { forward: false, backward: false } as const;
const BOTH = { forward: true, backward: true } as const;

const GELU_ALPHA = Math.SQRT1_2;
/** M_2_SQRTPI · M_SQRT1_2 · 0.5 = 1/√(2π). */
const GELU_PDF = 1.1283791670955126 * Math.SQRT1_2 * 0.5;
/** M_SQRT2 · M_2_SQRTPI · 0.5 = √(2/π). */
const GELU_TANH_BETA = Math.SQRT2 * 1.1283791670955126 * 0.5;
const GELU_TANH_KAPPA = 0.044715;

export const ACTIVATION_OPS = {
  // relu and leakyRelu are written without a data-dependent branch (random signs defeat branch
  // prediction, ~3x slower); the results equal PyTorch's `x > 0 ? x : 0` (NaN propagates, −∞
  // gives 0, no −0) and `x > 0 ? x : slope·x` exactly.
  relu: {
    code: code.RELU,
    params: [],
    simd: BOTH,
    forward: (n, x, xo, out, oo) => {
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        out[oo + i] = v !== -Infinity ? v * +(v > 0) + 0 : 0;
      }
    },
    // threshold_backward on the output: 0 where y ≤ 0 (even for a non-finite g; NaN y passes g),
    // branch-free for finite g.
    backward: (n, _x, _xo, y, yo, g, go, gi, gio) => {
      for (let i = 0; i < n; i++) {
        const gv = g[go + i]!;
        const s = +!(y[yo + i]! <= 0);
        gi[gio + i] = gv - gv === 0 ? gv * s + 0 : s ? gv : 0;
      }
    },
  },
  leakyRelu: {
    code: code.LEAKY_RELU,
    params: ['negativeSlope'],
    simd: BOTH,
    forward: (n, x, xo, out, oo, slope) => {
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        const s = +(v > 0);
        out[oo + i] = v * (s + (1 - s) * slope);
      }
    },
    backward: (n, x, xo, _y, _yo, g, go, gi, gio, slope) => {
      for (let i = 0; i < n; i++) {
        const s = +(x[xo + i]! > 0);
        gi[gio + i] = g[go + i]! * (s + (1 - s) * slope);
      }
    },
  },
  gelu: {
    code: code.GELU,
    params: [],
    simd: BOTH,
    forward: (n, x, xo, out, oo) => {
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        out[oo + i] = v * 0.5 * (1 + erf(v * GELU_ALPHA));
      }
    },
    backward: (n, x, xo, _y, _yo, g, go, gi, gio) => {
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        const cdf = 0.5 * (1 + erf(v * GELU_ALPHA));
        const pdf = GELU_PDF * Math.exp(v * v * -0.5);
        gi[gio + i] = g[go + i]! * (cdf + v * pdf);
      }
    },
  },
  geluTanh: {
    code: code.GELU_TANH,
    params: [],
    simd: BOTH,
    forward: (n, x, xo, out, oo) => {
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        const inner = GELU_TANH_BETA * (v + GELU_TANH_KAPPA * (v * v * v));
        out[oo + i] = 0.5 * v * (1 + Math.tanh(inner));
      }
    },
    backward: (n, x, xo, _y, _yo, g, go, gi, gio) => {
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        const v2 = v * v;
        const t = Math.tanh(GELU_TANH_BETA * (v + GELU_TANH_KAPPA * (v2 * v)));
        const dRight = (1 - t * t) * (GELU_TANH_BETA * (1 + 3 * GELU_TANH_KAPPA * v2));
        gi[gio + i] = g[go + i]! * (0.5 * (1 + t) + 0.5 * v * dRight);
      }
    },
  },
  sigmoid: {
    code: code.SIGMOID,
    params: [],
    simd: BOTH,
    forward: (n, x, xo, out, oo) => {
      for (let i = 0; i < n; i++) out[oo + i] = sigmoid(x[xo + i]!);
    },
    backward: (n, _x, _xo, y, yo, g, go, gi, gio) => {
      for (let i = 0; i < n; i++) {
        const s = y[yo + i]!;
        gi[gio + i] = g[go + i]! * (1 - s) * s;
      }
    },
  },
  tanh: {
    code: code.TANH,
    params: [],
    simd: BOTH,
    forward: (n, x, xo, out, oo) => {
      for (let i = 0; i < n; i++) out[oo + i] = Math.tanh(x[xo + i]!);
    },
    backward: (n, _x, _xo, y, yo, g, go, gi, gio) => {
      for (let i = 0; i < n; i++) {
        const t = y[yo + i]!;
        gi[gio + i] = g[go + i]! * (1 - t * t);
      }
    },
  },
  softplus: {
    code: code.SOFTPLUS,
    params: ['beta', 'threshold'],
    simd: BOTH,
    // log(1 + e^(βx))/β, as max(βx, 0) + log1p(e^−|βx|) so that large βx cannot overflow; x
    // itself where βx > threshold (strictly).
    forward: (n, x, xo, out, oo, beta, threshold) => {
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        const z = v * beta;
        out[oo + i] = z > threshold ? v : ((z > 0 ? z : 0) + Math.log1p(Math.exp(-Math.abs(z)))) / beta;
      }
    },
    // g·sigmoid(βx) below the threshold, g above it.
    backward: (n, x, xo, _y, _yo, g, go, gi, gio, beta, threshold) => {
      for (let i = 0; i < n; i++) {
        const z = x[xo + i]! * beta;
        gi[gio + i] = z > threshold ? g[go + i]! : g[go + i]! * sigmoid(z);
      }
    },
  },
  logSigmoid: {
    code: code.LOG_SIGMOID,
    params: [],
    simd: NONE,
    // min(x, 0) − log1p(e^−|x|): exact for large |x| of either sign.
    forward: (n, x, xo, out, oo) => {
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        out[oo + i] = (v < 0 ? v : 0) - Math.log1p(Math.exp(-Math.abs(v)));
      }
    },
    // 1 − σ(x) for x < 0 and σ(−x) otherwise, both as z/(1+z) with z = e^−|x|.
    backward: (n, x, xo, _y, _yo, g, go, gi, gio) => {
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        const z = Math.exp(-Math.abs(v));
        gi[gio + i] = (v < 0 ? 1 - z / (1 + z) : z / (1 + z)) * g[go + i]!;
      }
    },
  },
  silu: {
    code: code.SILU,
    params: [],
    simd: BOTH,
    forward: (n, x, xo, out, oo) => {
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        out[oo + i] = v / (1 + Math.exp(-v));
      }
    },
    // σ(x)·(1 + x·(1 − σ(x))).
    backward: (n, x, xo, _y, _yo, g, go, gi, gio) => {
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        const s = 1 / (1 + Math.exp(-v));
        gi[gio + i] = g[go + i]! * s * (1 + v * (1 - s));
      }
    },
  },
  mish: {
    code: code.MISH,
    params: [],
    simd: BOTH,
    forward: (n, x, xo, out, oo) => {
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        out[oo + i] = v * Math.tanh(Math.log1p(Math.exp(v)));
      }
    },
    // tanh(sp) + x·σ(x)·(1 − tanh²(sp)), sp = softplus(x).
    backward: (n, x, xo, _y, _yo, g, go, gi, gio) => {
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        const t = Math.tanh(Math.log1p(Math.exp(v)));
        const s = 1 / (1 + Math.exp(-v));
        gi[gio + i] = g[go + i]! * (t + v * s * (1 - t * t));
      }
    },
  },
  elu: {
    code: code.ELU,
    params: ['alpha'],
    simd: BOTH,
    forward: (n, x, xo, out, oo, alpha) => {
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        out[oo + i] = v <= 0 ? Math.expm1(v) * alpha : v;
      }
    },
    // α·eˣ for x ≤ 0 (so α at 0, as PyTorch), 1 above.
    backward: (n, x, xo, _y, _yo, g, go, gi, gio, alpha) => {
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        gi[gio + i] = v <= 0 ? g[go + i]! * alpha * Math.exp(v) : g[go + i]!;
      }
    },
  },
  hardtanh: {
    code: code.HARDTANH,
    params: ['minVal', 'maxVal'],
    simd: BOTH,
    forward: clampForward,
    // Unlike clamp, 0 at the bounds themselves, as PyTorch's hardtanh_backward.
    backward: (n, x, xo, _y, _yo, g, go, gi, gio, lo, hi) => {
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        gi[gio + i] = v <= lo || v >= hi ? 0 : g[go + i]!;
      }
    },
  },
  softsign: {
    code: code.SOFTSIGN,
    params: [],
    simd: BOTH,
    forward: (n, x, xo, out, oo) => {
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        out[oo + i] = v / (1 + Math.abs(v));
      }
    },
    backward: (n, x, xo, _y, _yo, g, go, gi, gio) => {
      for (let i = 0; i < n; i++) {
        const d = 1 + Math.abs(x[xo + i]!);
        gi[gio + i] = g[go + i]! / (d * d);
      }
    },
  },
} satisfies Record<string, UnaryOpEntry>;
