import type { FloatArray } from '../../dtype.js';
import {
  type AdagradOptions,
  type AdamOptions,
  type RmspropOptions,
  type SgdOptions,
  adagradJs,
  adamJs,
  rmspropJs,
  sgdJs,
} from '../js/optim.js';
import { checkSliceLengths } from '../js/slices.js';
import { wasmKernels } from './module.js';
import { sliceAddresses, slicesOf } from './slices.js';

/** `sgdJs` on the WebAssembly kernel (float32 slices of the kernels' memory; JS otherwise). */
export function sgdWasm(param: FloatArray, grad: FloatArray, buf: FloatArray | null, first: boolean, o: SgdOptions): void {
  checkSliceLengths('sgd', slicesOf(param, grad, buf));
  const k = wasmKernels();
  // The addresses of the buffer the update uses (none without momentum), not of the one it was given.
  const p = k && sliceAddresses('sgd', k, slicesOf(param, grad, o.momentum !== 0 ? buf : null));
  if (!k || !p) return sgdJs(param, grad, buf, first, o);
  k.exports.sgd(param.length, p[0]!, p[1]!, p[2]!, o.lr, o.momentum, o.dampening, o.weightDecay, +o.nesterov, +o.maximize, +first);
}

/** `adamJs` on the WebAssembly kernel (float32 slices of the kernels' memory; JS otherwise). */
export function adamWasm(
  param: FloatArray,
  grad: FloatArray,
  expAvg: FloatArray,
  expAvgSq: FloatArray,
  maxExpAvgSq: FloatArray | null,
  step: number,
  o: AdamOptions,
): void {
  const slices = slicesOf(param, grad, expAvg, expAvgSq, maxExpAvgSq);
  checkSliceLengths('adam', slices);
  const k = wasmKernels();
  const p = k && sliceAddresses('adam', k, slices);
  if (!k || !p) return adamJs(param, grad, expAvg, expAvgSq, maxExpAvgSq, step, o);
  // The step's scalars in float64, as PyTorch computes them in Python.
  const stepSize = o.lr / (1 - o.beta1 ** step);
  const bc2Sqrt = Math.sqrt(1 - o.beta2 ** step);
  const decay = o.decoupledWeightDecay ? 1 - o.lr * o.weightDecay : 1;
  const l2 = o.decoupledWeightDecay ? 0 : o.weightDecay;
  k.exports.adam(param.length, p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, o.beta1, o.beta2, o.eps, l2, decay, +o.maximize, stepSize, bc2Sqrt);
}

/** `rmspropJs` on the WebAssembly kernel (float32 slices of the kernels' memory; JS otherwise). */
export function rmspropWasm(
  param: FloatArray,
  grad: FloatArray,
  squareAvg: FloatArray,
  gradAvg: FloatArray | null,
  buf: FloatArray | null,
  o: RmspropOptions,
): void {
  checkSliceLengths('rmsprop', slicesOf(param, grad, squareAvg, gradAvg, buf));
  const k = wasmKernels();
  const useBuf = o.momentum > 0 ? buf : null;
  const p = k && sliceAddresses('rmsprop', k, slicesOf(param, grad, squareAvg, gradAvg, useBuf));
  if (!k || !p) return rmspropJs(param, grad, squareAvg, gradAvg, buf, o);
  k.exports.rmsprop(param.length, p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, o.lr, o.alpha, o.eps, o.weightDecay, o.momentum, +o.maximize);
}

/** `adagradJs` on the WebAssembly kernel (float32 slices of the kernels' memory; JS otherwise). */
export function adagradWasm(param: FloatArray, grad: FloatArray, stateSum: FloatArray, step: number, o: AdagradOptions): void {
  const slices = slicesOf(param, grad, stateSum);
  checkSliceLengths('adagrad', slices);
  const k = wasmKernels();
  const p = k && sliceAddresses('adagrad', k, slices);
  if (!k || !p) return adagradJs(param, grad, stateSum, step, o);
  const clr = o.lr / (1 + (step - 1) * o.lrDecay);
  k.exports.adagrad(param.length, p[0]!, p[1]!, p[2]!, clr, o.eps, o.weightDecay, +o.maximize);
}
