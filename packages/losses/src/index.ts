/**
 * @loom/losses: every PyTorch loss of the catalogue, as a module class and as a function, exact to
 * PyTorch in values and gradients, plus L1/L2 penalties and a by-name registry.
 * @packageDocumentation
 */
export { type Reduction, type KLDivReduction } from './reduction.js';
export { LossModule } from './loss-module.js';
export { L1Loss, l1Loss, type L1LossOptions } from './l1.js';
export { SmoothL1Loss, smoothL1Loss, type SmoothL1LossOptions, HuberLoss, huberLoss, type HuberLossOptions } from './smooth-l1.js';
export { MSELoss, mseLoss, type MSELossOptions } from './mse.js';
export { BCELoss, binaryCrossEntropy, type BCELossOptions } from './bce.js';
export { BCEWithLogitsLoss, binaryCrossEntropyWithLogits, type BCEWithLogitsLossOptions } from './bce-with-logits.js';
export { CrossEntropyLoss, crossEntropy, type CrossEntropyLossOptions } from './cross-entropy.js';
export { NLLLoss, NLLLoss2d, nllLoss, type NLLLossOptions } from './nll.js';
export { type ClassLossOptions, DEFAULT_IGNORE_INDEX } from './class-target.js';
export { KLDivLoss, klDiv, type KLDivLossOptions } from './kl-div.js';
export {
  SoftMarginLoss,
  softMarginLoss,
  type SoftMarginLossOptions,
  MarginRankingLoss,
  marginRankingLoss,
  type MarginRankingLossOptions,
} from './margin.js';
export { l1Penalty, l2Penalty } from './penalties.js';
export { createLoss, lossClassName, LOSS_NAMES, type LossName, type LossClassName, type LossOptions } from './registry.js';
export { lossNormalizer } from './normalizer.js';
