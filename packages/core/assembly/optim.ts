/**
 * Optimizer update loops over flat float32 slices, with PyTorch's single-tensor arithmetic
 * (torch/optim/*.py, `_single_tensor_*`). Step-dependent scalars (bias corrections, the decayed
 * learning rate) are computed by the caller in float64, as Python does. Conditions that PyTorch
 * tests once per tensor are folded into multipliers (grad·±1, param·(1 − lr·wd), + wd·param),
 * which are exact for finite values, so the loops carry no branches.
 */
import { at } from './simd';

/** `g` as PyTorch's updates see it: negated when maximizing, plus wd·param for L2 decay. */
// @ts-ignore: decorator
@inline
function effectiveGrad(g: v128, p: v128, sign: v128, wd: v128): v128 {
  return f32x4.add(f32x4.mul(g, sign), f32x4.mul(wd, p));
}

/**
 * SGD with momentum/dampening/Nesterov: d = ±g + wd·p; buf = first ? d : momentum·buf +
 * (1 − dampening)·d; d = nesterov ? d + momentum·buf : buf; p += −lr·d. `buf` is 0 without momentum.
 */
export function sgd(
  n: i32, param: usize, grad: usize, buf: usize,
  lr: f32, momentum: f32, dampening: f32, weightDecay: f32, nesterov: bool, maximize: bool, first: bool,
): void {
  const sign = f32x4.splat(maximize ? -1 : 1);
  const wd = f32x4.splat(weightDecay);
  const negLr = f32x4.splat(-lr);
  const mom = f32x4.splat(momentum);
  const damp = f32x4.splat(1 - dampening);
  const useBuf = buf != 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const p = v128.load(param + o);
    let d = effectiveGrad(v128.load(grad + o), p, sign, wd);
    if (useBuf) {
      const bNew = first ? d : f32x4.add(f32x4.mul(v128.load(buf + o), mom), f32x4.mul(d, damp));
      v128.store(buf + o, bNew);
      d = nesterov ? f32x4.add(d, f32x4.mul(mom, bNew)) : bNew;
    }
    v128.store(param + o, f32x4.add(p, f32x4.mul(negLr, d)));
  }
  for (; i < n; i++) {
    const p = load<f32>(at(param, i));
    let d = load<f32>(at(grad, i)) * (maximize ? -1 : 1) + weightDecay * p;
    if (useBuf) {
      const bNew = first ? d : load<f32>(at(buf, i)) * momentum + d * (1 - dampening);
      store<f32>(at(buf, i), bNew);
      d = nesterov ? d + momentum * bNew : bNew;
    }
    store<f32>(at(param, i), p + -lr * d);
  }
}

/**
 * Adam / AdamW (decoupled weight decay) with optional AMSGrad:
 * m ← m + (1−β1)(g − m); v ← β2·v + (1−β2)·g²; v̂ = amsgrad ? max(v̂, v) : v;
 * p ← p − stepSize · m / (√v̂ / bc2Sqrt + eps), where stepSize = lr / (1 − β1^t) and
 * bc2Sqrt = √(1 − β2^t). `maxSq` is 0 without AMSGrad.
 */
export function adam(
  n: i32, param: usize, grad: usize, expAvg: usize, expAvgSq: usize, maxSq: usize,
  beta1: f32, beta2: f32, eps: f32, weightDecay: f32, decay: f32, maximize: bool,
  stepSize: f32, bc2Sqrt: f32,
): void {
  const sign = f32x4.splat(maximize ? -1 : 1);
  const wd = f32x4.splat(weightDecay);
  const pMul = f32x4.splat(decay);
  const w1 = f32x4.splat(1 - beta1);
  const b2 = f32x4.splat(beta2);
  const w2 = f32x4.splat(1 - beta2);
  const vEps = f32x4.splat(eps);
  const vBc2 = f32x4.splat(bc2Sqrt);
  const negStep = f32x4.splat(-stepSize);
  const ams = maxSq != 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const p = f32x4.mul(v128.load(param + o), pMul);
    const g = effectiveGrad(v128.load(grad + o), p, sign, wd);
    const m0 = v128.load(expAvg + o);
    const m = f32x4.add(m0, f32x4.mul(w1, f32x4.sub(g, m0)));
    const v = f32x4.add(f32x4.mul(v128.load(expAvgSq + o), b2), f32x4.mul(w2, f32x4.mul(g, g)));
    v128.store(expAvg + o, m);
    v128.store(expAvgSq + o, v);
    let vHat = v;
    if (ams) {
      vHat = f32x4.max(v128.load(maxSq + o), v);
      v128.store(maxSq + o, vHat);
    }
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vHat), vBc2), vEps);
    v128.store(param + o, f32x4.add(p, f32x4.mul(negStep, f32x4.div(m, denom))));
  }
  for (; i < n; i++) {
    const p = load<f32>(at(param, i)) * decay;
    const g = load<f32>(at(grad, i)) * (maximize ? -1 : 1) + weightDecay * p;
    const m0 = load<f32>(at(expAvg, i));
    const m = m0 + (1 - beta1) * (g - m0);
    const v = load<f32>(at(expAvgSq, i)) * beta2 + (1 - beta2) * (g * g);
    store<f32>(at(expAvg, i), m);
    store<f32>(at(expAvgSq, i), v);
    let vHat = v;
    if (ams) {
      vHat = max<f32>(load<f32>(at(maxSq, i)), v);
      store<f32>(at(maxSq, i), vHat);
    }
    store<f32>(at(param, i), p + -stepSize * (m / (sqrt<f32>(vHat) / bc2Sqrt + eps)));
  }
}

/**
 * RMSprop: s ← α·s + (1−α)·g²; centered: ḡ ← ḡ + (1−α)(g − ḡ), avg = √(s − ḡ²), else √s;
 * avg += eps; with momentum: buf ← μ·buf + g/avg, p −= lr·buf, else p −= lr·g/avg.
 * `gradAvg` is 0 unless centered, `buf` 0 without momentum.
 */
export function rmsprop(
  n: i32, param: usize, grad: usize, squareAvg: usize, gradAvg: usize, buf: usize,
  lr: f32, alpha: f32, eps: f32, weightDecay: f32, momentum: f32, maximize: bool,
): void {
  const centered = gradAvg != 0;
  const useBuf = buf != 0;
  const sign = f32x4.splat(maximize ? -1 : 1);
  const wd = f32x4.splat(weightDecay);
  const vAlpha = f32x4.splat(alpha);
  const w = f32x4.splat(1 - alpha);
  const vEps = f32x4.splat(eps);
  const vMom = f32x4.splat(momentum);
  const negLr = f32x4.splat(-lr);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const p = v128.load(param + o);
    const g = effectiveGrad(v128.load(grad + o), p, sign, wd);
    const s = f32x4.add(f32x4.mul(v128.load(squareAvg + o), vAlpha), f32x4.mul(w, f32x4.mul(g, g)));
    v128.store(squareAvg + o, s);
    let avg: v128;
    if (centered) {
      const ga0 = v128.load(gradAvg + o);
      const ga = f32x4.add(ga0, f32x4.mul(w, f32x4.sub(g, ga0)));
      v128.store(gradAvg + o, ga);
      avg = f32x4.sqrt(f32x4.sub(s, f32x4.mul(ga, ga)));
    } else {
      avg = f32x4.sqrt(s);
    }
    avg = f32x4.add(avg, vEps);
    if (useBuf) {
      const b = f32x4.add(f32x4.mul(v128.load(buf + o), vMom), f32x4.div(g, avg));
      v128.store(buf + o, b);
      v128.store(param + o, f32x4.add(p, f32x4.mul(negLr, b)));
    } else {
      v128.store(param + o, f32x4.add(p, f32x4.mul(negLr, f32x4.div(g, avg))));
    }
  }
  for (; i < n; i++) {
    const p = load<f32>(at(param, i));
    const g = load<f32>(at(grad, i)) * (maximize ? -1 : 1) + weightDecay * p;
    const s = load<f32>(at(squareAvg, i)) * alpha + (1 - alpha) * (g * g);
    store<f32>(at(squareAvg, i), s);
    let avg: f32;
    if (centered) {
      const ga0 = load<f32>(at(gradAvg, i));
      const ga = ga0 + (1 - alpha) * (g - ga0);
      store<f32>(at(gradAvg, i), ga);
      avg = sqrt<f32>(s - ga * ga);
    } else {
      avg = sqrt<f32>(s);
    }
    avg = avg + eps;
    if (useBuf) {
      const b = load<f32>(at(buf, i)) * momentum + g / avg;
      store<f32>(at(buf, i), b);
      store<f32>(at(param, i), p + -lr * b);
    } else {
      store<f32>(at(param, i), p + -lr * (g / avg));
    }
  }
}

/** Adagrad: sum ← sum + g²; p ← p − clr · g / (√sum + eps), clr = lr / (1 + (t−1)·lrDecay). */
export function adagrad(
  n: i32, param: usize, grad: usize, stateSum: usize,
  clr: f32, eps: f32, weightDecay: f32, maximize: bool,
): void {
  const sign = f32x4.splat(maximize ? -1 : 1);
  const wd = f32x4.splat(weightDecay);
  const vEps = f32x4.splat(eps);
  const negClr = f32x4.splat(-clr);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const p = v128.load(param + o);
    const g = effectiveGrad(v128.load(grad + o), p, sign, wd);
    const s = f32x4.add(v128.load(stateSum + o), f32x4.mul(g, g));
    v128.store(stateSum + o, s);
    v128.store(param + o, f32x4.add(p, f32x4.mul(negClr, f32x4.div(g, f32x4.add(f32x4.sqrt(s), vEps)))));
  }
  for (; i < n; i++) {
    const p = load<f32>(at(param, i));
    const g = load<f32>(at(grad, i)) * (maximize ? -1 : 1) + weightDecay * p;
    const s = load<f32>(at(stateSum, i)) + g * g;
    store<f32>(at(stateSum, i), s);
    store<f32>(at(param, i), p + -clr * (g / (sqrt<f32>(s) + eps)));
  }
}
