import type { FloatArray } from '../../dtype.js';
import { checkSliceLengths } from './slices.js';

/**
 * The update loops of the optimizers over flat slices (param, grad and state of equal length),
 * written as PyTorch's `_single_tensor_*` functions compute them. The optimizer classes and the
 * sharded parallel update call them on slices of the flat parameter, gradient and state buffers.
 */

/** SGD's hyperparameters, as torch.optim.SGD names them (camelCased). */
export interface SgdOptions {
  readonly lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  readonly maximize: boolean;
}

/**
 * One SGD step: d = ±g + wd·p; with momentum, buf = d on the first step, else
 * momentum·buf + (1 − dampening)·d, and d = nesterov ? d + momentum·buf : buf; p −= lr·d.
 * `buf` is the momentum buffer (null without momentum); `first` says it is not yet initialised.
 */
export function sgdJs(param: FloatArray, grad: FloatArray, buf: FloatArray | null, first: boolean, o: SgdOptions): void {
  checkSliceLengths('sgd', [param, grad, buf]);
  const sign = o.maximize ? -1 : 1;
  for (let i = 0; i < param.length; i++) {
    const p = param[i]!;
    let d = grad[i]! * sign;
    if (o.weightDecay !== 0) d += o.weightDecay * p;
    if (buf && o.momentum !== 0) {
      const b = first ? d : buf[i]! * o.momentum + (1 - o.dampening) * d;
      buf[i] = b;
      d = o.nesterov ? d + o.momentum * b : b;
    }
    param[i] = p - o.lr * d;
  }
}

/** Adam's hyperparameters; `decoupledWeightDecay` makes it AdamW. */
export interface AdamOptions {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly amsgrad: boolean;
  readonly maximize: boolean;
  readonly decoupledWeightDecay: boolean;
}

/**
 * One Adam/AdamW step at `step` (1-based, already incremented):
 * AdamW: p ← p·(1 − lr·wd); Adam: g ← g + wd·p; m ← m + (1−β1)(g − m); v ← β2·v + (1−β2)·g²;
 * v̂ = amsgrad ? max(v̂, v) : v; p ← p − lr/(1−β1ᵗ) · m / (√v̂ / √(1−β2ᵗ) + eps).
 * `maxExpAvgSq` is null without AMSGrad.
 */
export function adamJs(
  param: FloatArray,
  grad: FloatArray,
  expAvg: FloatArray,
  expAvgSq: FloatArray,
  maxExpAvgSq: FloatArray | null,
  step: number,
  o: AdamOptions,
): void {
  checkSliceLengths('adam', [param, grad, expAvg, expAvgSq, maxExpAvgSq]);
  const sign = o.maximize ? -1 : 1;
  const stepSize = o.lr / (1 - o.beta1 ** step);
  const bc2Sqrt = Math.sqrt(1 - o.beta2 ** step);
  const decay = o.decoupledWeightDecay ? 1 - o.lr * o.weightDecay : 1;
  const l2 = o.decoupledWeightDecay ? 0 : o.weightDecay;
  for (let i = 0; i < param.length; i++) {
    param[i] = param[i]! * decay;
    const p = param[i]!;
    let g = grad[i]! * sign;
    if (l2 !== 0) g += l2 * p;
    expAvg[i] = expAvg[i]! + (1 - o.beta1) * (g - expAvg[i]!);
    expAvgSq[i] = expAvgSq[i]! * o.beta2 + (1 - o.beta2) * g * g;
    let v = expAvgSq[i]!;
    if (maxExpAvgSq) {
      maxExpAvgSq[i] = Math.max(maxExpAvgSq[i]!, v);
      v = maxExpAvgSq[i]!;
    }
    param[i] = p - stepSize * (expAvg[i]! / (Math.sqrt(v) / bc2Sqrt + o.eps));
  }
}

/** RMSprop's hyperparameters, as torch.optim.RMSprop names them. */
export interface RmspropOptions {
  readonly lr: number;
  readonly alpha: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly momentum: number;
  readonly centered: boolean;
  readonly maximize: boolean;
}

/**
 * One RMSprop step: s ← α·s + (1−α)·g²; centered: ḡ ← ḡ + (1−α)(g − ḡ), avg = √(s − ḡ²), else √s;
 * avg += eps; with momentum buf ← μ·buf + g/avg and p −= lr·buf, else p −= lr·g/avg.
 * `gradAvg` is null unless centered, `buf` null without momentum.
 */
export function rmspropJs(
  param: FloatArray,
  grad: FloatArray,
  squareAvg: FloatArray,
  gradAvg: FloatArray | null,
  buf: FloatArray | null,
  o: RmspropOptions,
): void {
  checkSliceLengths('rmsprop', [param, grad, squareAvg, gradAvg, buf]);
  const sign = o.maximize ? -1 : 1;
  for (let i = 0; i < param.length; i++) {
    const p = param[i]!;
    let g = grad[i]! * sign;
    if (o.weightDecay !== 0) g += o.weightDecay * p;
    squareAvg[i] = squareAvg[i]! * o.alpha + (1 - o.alpha) * g * g;
    let avg: number;
    if (gradAvg) {
      gradAvg[i] = gradAvg[i]! + (1 - o.alpha) * (g - gradAvg[i]!);
      avg = Math.sqrt(squareAvg[i]! - gradAvg[i]! * gradAvg[i]!);
    } else {
      avg = Math.sqrt(squareAvg[i]!);
    }
    avg += o.eps;
    if (buf && o.momentum > 0) {
      buf[i] = buf[i]! * o.momentum + g / avg;
      param[i] = p - o.lr * buf[i]!;
    } else {
      param[i] = p - o.lr * (g / avg);
    }
  }
}

/** Adagrad's hyperparameters, as torch.optim.Adagrad names them. */
export interface AdagradOptions {
  readonly lr: number;
  readonly lrDecay: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly maximize: boolean;
}

/** One Adagrad step at `step` (1-based): sum ← sum + g²; p ← p − clr·g/(√sum + eps), clr = lr/(1 + (t−1)·lrDecay). */
export function adagradJs(param: FloatArray, grad: FloatArray, stateSum: FloatArray, step: number, o: AdagradOptions): void {
  checkSliceLengths('adagrad', [param, grad, stateSum]);
  const sign = o.maximize ? -1 : 1;
  const clr = o.lr / (1 + (step - 1) * o.lrDecay);
  for (let i = 0; i < param.length; i++) {
    const p = param[i]!;
    let g = grad[i]! * sign;
    if (o.weightDecay !== 0) g += o.weightDecay * p;
    stateSum[i] = stateSum[i]! + g * g;
    param[i] = p - clr * (g / (Math.sqrt(stateSum[i]!) + o.eps));
  }
}
