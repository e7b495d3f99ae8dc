import { checkOptions, optionKeys, record, Tensor } from '@loom/core';
import { checkClassOptions, type ClassLossOptions, classIndices, classLayout, classWeights, targetWeightSum } from './class-target.js';
import { LossModule } from './loss-module.js';
import { valuesOver } from './operands.js';
import { reducedOutput, type Reduction, upstreamOf } from './reduction.js';

/** Options of `NLLLoss` / `nllLoss`. */
export type NLLLossOptions = ClassLossOptions;

/** Every option of `NLLLoss` / `nllLoss`. */
export const NLL_LOSS_OPTIONS = optionKeys<NLLLossOptions>({ reduction: true, weight: true, ignoreIndex: true });

/**
 * Negative log-likelihood of the class indices `target` under the log-probabilities `input`, as
 * `torch.nn.functional.nll_loss`: −weight[t]·input[t] per sample, for inputs (C,), (N, C) and
 * (N, C, d1, …, dk) with int32 targets (), (N) and (N, d1, …, dk). 'mean' divides by the sum of
 * the weights of the targets that are not ignored, so it gives NaN when all are ignored.
 * @param input - log-probabilities (as `logSoftmax` gives them), float32 or float64: [N, C], [N, C, d1, …, dk] or an unbatched [C]
 * @param target - class indices, int32, of `input`'s shape without its class dimension, each in [0, C) or `ignoreIndex`
 * @param options - see {@link NLLLossOptions}; default `{}`: 'mean' reduction, no weight, `ignoreIndex` −100; unknown keys throw
 */
export function nllLoss(input: Tensor, target: Tensor, options: NLLLossOptions = {}): Tensor {
  const op = 'nllLoss';
  checkOptions(op, options, NLL_LOSS_OPTIONS);
  const { reduction, weight, ignoreIndex } = checkClassOptions(op, options);
  const { n, c, s, outShape } = classLayout(
    op,
    input,
    target,
    '; a float target cannot hold class indices (multi-target is not supported)',
  );
  const w = classWeights(op, weight, c);
  const t = classIndices(op, target, c, ignoreIndex);
  const totalWeight = targetWeightSum(t, w, ignoreIndex);
  const x = valuesOver(input, input.shape);
  const out = reduction === 'none' ? Tensor.empty(outShape, input.dtype) : null;
  const o = out && out.data();
  let total = 0;
  for (let i0 = 0; i0 < n; i0++) {
    for (let j = 0; j < s; j++) {
      const i = i0 * s + j;
      const k = t[i]!;
      const v = k === ignoreIndex ? 0 : -(w ? w[k]! : 1) * x[i0 * c * s + k * s + j]!;
      if (o) o[i] = v;
      else total += v;
    }
  }
  const result = out ?? reducedOutput(total, totalWeight, reduction, input.dtype === 'float64' ? 'float64' : 'float32');
  return record(op, result, [input, target], (g) => {
    const { each, all } = upstreamOf(g, reduction, totalWeight);
    const grad = Tensor.empty(input.shape, input.dtype);
    const gd = grad.data();
    gd.fill(0);
    // Read again, not kept from the forward: outside a scope, a pass may have moved these regions
    // out and given them to other tensors since (a kept array would read their bytes).
    const t = valuesOver(target, target.shape);
    const w = weight && valuesOver(weight, weight.shape);
    for (let i0 = 0; i0 < n; i0++) {
      for (let j = 0; j < s; j++) {
        const i = i0 * s + j;
        const k = t[i]!;
        if (k !== ignoreIndex) gd[i0 * c * s + k * s + j] = -(w ? w[k]! : 1) * (each ? each[i]! : all);
      }
    }
    return [grad, null];
  });
}

/** `torch.nn.NLLLoss`: the module form of `nllLoss`. */
export class NLLLoss extends LossModule {
  readonly reduction: Reduction;
  readonly weight: Tensor | null;
  readonly ignoreIndex: number;

  /**
   * Checks the options once: an unknown key or an invalid value throws, naming it.
   * @param options - see {@link NLLLossOptions}; default `{}`: 'mean' reduction, no weight, `ignoreIndex` −100
   */
  constructor(options: NLLLossOptions = {}) {
    super();
    checkOptions('NLLLoss', options, NLL_LOSS_OPTIONS);
    ({ reduction: this.reduction, weight: this.weight, ignoreIndex: this.ignoreIndex } = checkClassOptions('NLLLoss', options));
  }

  /**
   * The loss of `input` against `target`, as {@link nllLoss} with this module's options.
   * @param input - log-probabilities, float32 or float64: [N, C], [N, C, d1, …, dk] or [C]
   * @param target - int32 class indices of `input`'s shape without the class dimension
   */
  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { reduction: this.reduction, weight: this.weight, ignoreIndex: this.ignoreIndex });
  }
}

/** `torch.nn.NLLLoss2d`, kept by PyTorch as an alias of `NLLLoss` for (N, C, H, W) inputs. */
export const NLLLoss2d = NLLLoss;
