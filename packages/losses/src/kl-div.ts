import { checkOptions, formatValue, optionKeys, type Tensor } from '@loom/core';
import { checkFloating } from './checks.js';
import { LossModule } from './loss-module.js';
import { type PointwiseKernel, pointwiseLoss } from './pointwise.js';
import { checkReduction, type KLDivReduction } from './reduction.js';

/** Options of `KLDivLoss` / `klDiv`. */
export interface KLDivLossOptions {
  /** `'batchmean'` divides the sum by the batch size: the true KL divergence per sample. */
  reduction?: KLDivReduction;
  /** The target holds log-probabilities rather than probabilities. */
  logTarget?: boolean;
}

/** Every option of `KLDivLoss` / `klDiv`. */
export const KL_DIV_LOSS_OPTIONS = optionKeys<KLDivLossOptions>({ reduction: true, logTarget: true });

const KL_REDUCTIONS: readonly KLDivReduction[] = ['none', 'mean', 'sum', 'batchmean'];

function checkLogTarget(op: string, logTarget: unknown): boolean {
  if (logTarget !== undefined && typeof logTarget !== 'boolean')
    throw new TypeError(`${op}: logTarget must be a boolean, got ${formatValue(logTarget)}`);
  return logTarget ?? false;
}

/** y (log y − x), with 0 log 0 = 0 (PyTorch's xlogy); d/dx = −y. */
const probabilityKernel: PointwiseKernel = {
  forward(x, y, out) {
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      const yi = y[i]!;
      const xlogy = yi === 0 ? 0 : yi * Math.log(yi);
      const v = xlogy - yi * x[i]!;
      if (out) out[i] = v;
      else s += v;
    }
    return s;
  },
  backward(_x, y, { each, all }, grad) {
    for (let i = 0; i < y.length; i++) grad[i] = -y[i]! * (each ? each[i]! : all);
  },
};

/** e^t (t − x) for a log-target t; d/dx = −e^t. */
const logTargetKernel: PointwiseKernel = {
  forward(x, y, out) {
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      const yi = y[i]!;
      const v = Math.exp(yi) * (yi - x[i]!);
      if (out) out[i] = v;
      else s += v;
    }
    return s;
  },
  backward(_x, y, { each, all }, grad) {
    for (let i = 0; i < y.length; i++) grad[i] = -Math.exp(y[i]!) * (each ? each[i]! : all);
  },
};

/**
 * Kullback-Leibler divergence of `target` from the log-probabilities `input`, as
 * `torch.nn.functional.kl_div`. Use reduction `'batchmean'` for the mathematical KL divergence;
 * `'mean'` averages over every element, as PyTorch does.
 * @param input - log-probabilities, float32 or float64, of any shape; dim 0 is the batch for 'batchmean'
 * @param target - probabilities (log-probabilities with `logTarget`), float32 or float64; broadcasts with `input`; no gradient flows to it (one that requires grad throws)
 * @param options - see {@link KLDivLossOptions}; default `{}`: 'mean' reduction (over every element), probabilities as target;
 *   unknown keys throw
 */
export function klDiv(input: Tensor, target: Tensor, options: KLDivLossOptions = {}): Tensor {
  const op = 'klDiv';
  checkOptions(op, options, KL_DIV_LOSS_OPTIONS);
  const r = checkReduction(op, options.reduction, KL_REDUCTIONS);
  const logTarget = checkLogTarget(op, options.logTarget);
  checkFloating(op, input, 'input');
  const batchmean = r === 'batchmean';
  return pointwiseLoss({
    op,
    input,
    target,
    reduction: batchmean ? 'mean' : r,
    ...(batchmean ? { divisor: input.ndim > 0 ? input.shape[0]! : 1 } : {}),
    kernel: logTarget ? logTargetKernel : probabilityKernel,
  });
}

/** `torch.nn.KLDivLoss`: the module form of `klDiv`. */
export class KLDivLoss extends LossModule {
  readonly reduction: KLDivReduction;
  readonly logTarget: boolean;

  /**
   * Checks the options once: an unknown key or an invalid value throws, naming it.
   * @param options - see {@link KLDivLossOptions}; default `{}`: 'mean' reduction, probabilities as target
   */
  constructor(options: KLDivLossOptions = {}) {
    super();
    checkOptions('KLDivLoss', options, KL_DIV_LOSS_OPTIONS);
    this.reduction = checkReduction('KLDivLoss', options.reduction, KL_REDUCTIONS);
    this.logTarget = checkLogTarget('KLDivLoss', options.logTarget);
  }

  /**
   * The divergence of `target` from `input`, as {@link klDiv} with this module's options.
   * @param input - log-probabilities, float32 or float64
   * @param target - probabilities (log-probabilities with `logTarget`), float32 or float64; broadcasts with `input`
   */
  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}
