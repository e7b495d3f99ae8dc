import { checkOptions, formatValue, tensor, Tensor } from '@loom/core';
import { BCE_LOSS_OPTIONS, BCELoss } from './bce.js';
import { BCE_WITH_LOGITS_LOSS_OPTIONS, BCEWithLogitsLoss, type BCEWithLogitsLossOptions } from './bce-with-logits.js';
import { CROSS_ENTROPY_LOSS_OPTIONS, CrossEntropyLoss, type CrossEntropyLossOptions } from './cross-entropy.js';
import { KL_DIV_LOSS_OPTIONS, KLDivLoss, type KLDivLossOptions } from './kl-div.js';
import { L1_LOSS_OPTIONS, L1Loss } from './l1.js';
import type { LossModule } from './loss-module.js';
import {
  MARGIN_RANKING_LOSS_OPTIONS,
  MarginRankingLoss,
  type MarginRankingLossOptions,
  SOFT_MARGIN_LOSS_OPTIONS,
  SoftMarginLoss,
} from './margin.js';
import { MSE_LOSS_OPTIONS, MSELoss } from './mse.js';
import { NLL_LOSS_OPTIONS, NLLLoss } from './nll.js';
import {
  HUBER_LOSS_OPTIONS,
  HuberLoss,
  type HuberLossOptions,
  SMOOTH_L1_LOSS_OPTIONS,
  SmoothL1Loss,
  type SmoothL1LossOptions,
} from './smooth-l1.js';

/** Each loss class with the options its constructor takes. */
const LOSSES = {
  L1Loss: { make: (o: Options) => new L1Loss(o), options: L1_LOSS_OPTIONS },
  SmoothL1Loss: { make: (o: Options) => new SmoothL1Loss(o), options: SMOOTH_L1_LOSS_OPTIONS },
  HuberLoss: { make: (o: Options) => new HuberLoss(o), options: HUBER_LOSS_OPTIONS },
  MSELoss: { make: (o: Options) => new MSELoss(o), options: MSE_LOSS_OPTIONS },
  BCELoss: { make: (o: Options) => new BCELoss(o), options: BCE_LOSS_OPTIONS },
  BCEWithLogitsLoss: { make: (o: Options) => new BCEWithLogitsLoss(o), options: BCE_WITH_LOGITS_LOSS_OPTIONS },
  CrossEntropyLoss: { make: (o: Options) => new CrossEntropyLoss(o), options: CROSS_ENTROPY_LOSS_OPTIONS },
  NLLLoss: { make: (o: Options) => new NLLLoss(o), options: NLL_LOSS_OPTIONS },
  NLLLoss2d: { make: (o: Options) => new NLLLoss(o), options: NLL_LOSS_OPTIONS },
  KLDivLoss: { make: (o: Options) => new KLDivLoss(o), options: KL_DIV_LOSS_OPTIONS },
  SoftMarginLoss: { make: (o: Options) => new SoftMarginLoss(o), options: SOFT_MARGIN_LOSS_OPTIONS },
  MarginRankingLoss: { make: (o: Options) => new MarginRankingLoss(o), options: MARGIN_RANKING_LOSS_OPTIONS },
} satisfies Record<string, { make: (o: Options) => LossModule; options: readonly string[] }>;

/** The short names the CLI and configuration files use, and the class each one means. */
const SHORT_NAMES = {
  l1: 'L1Loss',
  smooth_l1: 'SmoothL1Loss',
  huber: 'HuberLoss',
  mse: 'MSELoss',
  bce: 'BCELoss',
  bce_with_logits: 'BCEWithLogitsLoss',
  cross_entropy: 'CrossEntropyLoss',
  nll: 'NLLLoss',
  kl_div: 'KLDivLoss',
  soft_margin: 'SoftMarginLoss',
  margin_ranking: 'MarginRankingLoss',
} as const satisfies Record<string, keyof typeof LOSSES>;

/** A loss class name as in PyTorch. */
export type LossClassName = keyof typeof LOSSES;

/** A loss name `createLoss` accepts: a PyTorch class name ('CrossEntropyLoss') or a short name ('cross_entropy'). */
export type LossName = LossClassName | keyof typeof SHORT_NAMES;

/** Loss options as read from JSON: the constructor options, with `weight` / `posWeight` also as number arrays. */
export type LossOptions = Readonly<Record<string, unknown>>;

/** What `fromJson` hands to a constructor: every option any loss takes, each constructor reading its own. */
type Options = CrossEntropyLossOptions &
  BCEWithLogitsLossOptions &
  SmoothL1LossOptions &
  HuberLossOptions &
  KLDivLossOptions &
  MarginRankingLossOptions;

/** Every name `createLoss` accepts. */
export const LOSS_NAMES: readonly LossName[] = [...Object.keys(LOSSES), ...Object.keys(SHORT_NAMES)] as LossName[];

/**
 * The PyTorch class name of a loss name (class or short); throws, listing the known names, on an unknown one.
 * @param name - a class name ('CrossEntropyLoss') or a short name ('cross_entropy'); case-sensitive
 */
export function lossClassName(name: string): LossClassName {
  if (Object.hasOwn(LOSSES, name)) return name as LossClassName;
  if (Object.hasOwn(SHORT_NAMES, name)) return SHORT_NAMES[name as keyof typeof SHORT_NAMES];
  throw new RangeError(
    `createLoss: unknown loss ${typeof name === 'string' ? `'${name}'` : formatValue(name)}; known losses are ${LOSS_NAMES.join(', ')}`,
  );
}

/** Options with unknown keys refused and JSON number arrays turned into float64 tensors. */
function fromJson(className: LossClassName, options: LossOptions): Options {
  checkOptions(`createLoss: ${className}`, options, LOSSES[className].options);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    const isWeight = key === 'weight' || key === 'posWeight';
    if (isWeight && Array.isArray(value)) {
      if (!value.every((v) => typeof v === 'number')) throw new TypeError(`createLoss: ${className} option '${key}' must hold numbers`);
      out[key] = tensor(Float64Array.from(value as number[]));
    } else if (isWeight && value !== null && value !== undefined && !(value instanceof Tensor)) {
      throw new TypeError(`createLoss: ${className} option '${key}' must be a Tensor or an array of numbers`);
    } else {
      out[key] = value;
    }
  }
  return out as Options;
}

/**
 * Builds a loss module by name from plain (JSON) options, for trainers and the CLI:
 * `createLoss('cross_entropy', { labelSmoothing: 0.1, weight: [1, 2, 1] })`. Accepts PyTorch's
 * class names and the short names of `LOSS_NAMES`; unknown names and options are errors that list
 * the known ones. The constructor validates the values.
 * @param name - a PyTorch class name ('CrossEntropyLoss') or a short name ('cross_entropy'), see {@link LOSS_NAMES}
 * @param options - the class's constructor options, as JSON: `weight` and `posWeight` may be number arrays (made float64 tensors);
 *   default `{}`; unknown keys throw, listing the known ones
 */
export function createLoss(name: LossName, options: LossOptions = {}): LossModule {
  const className = lossClassName(name);
  return LOSSES[className].make(fromJson(className, options));
}
