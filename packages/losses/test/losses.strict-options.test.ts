import { tensor, type Tensor } from '@loom/core';
import { describe, expect, it } from 'vitest';
import {
  BCELoss,
  BCEWithLogitsLoss,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  createLoss,
  crossEntropy,
  CrossEntropyLoss,
  HuberLoss,
  huberLoss,
  klDiv,
  KLDivLoss,
  l1Loss,
  L1Loss,
  marginRankingLoss,
  MarginRankingLoss,
  MSELoss,
  mseLoss,
  nllLoss,
  NLLLoss,
  smoothL1Loss,
  SmoothL1Loss,
  softMarginLoss,
  SoftMarginLoss,
} from '../src/index.js';

const f64 = (values: number[], shape = [values.length]): Tensor => tensor(Float64Array.from(values), { shape, dtype: 'float64' });
const logits = f64([0.5, -1, 2, 0.25, 0, -0.5], [2, 3]);
const classes = tensor(Int32Array.from([2, 0]), { dtype: 'int32' });

describe('loss options are strict: a snake_case or unknown key throws instead of being ignored', () => {
  it("new CrossEntropyLoss({ label_smoothing }) names 'labelSmoothing' (it used to compute without smoothing)", () => {
    expect(() => new CrossEntropyLoss({ label_smoothing: 0.1 } as never)).toThrowError(
      "CrossEntropyLoss: unknown option 'label_smoothing' (did you mean 'labelSmoothing'?); known options: reduction, weight, ignoreIndex, labelSmoothing",
    );
    expect(() => crossEntropy(logits, classes, { label_smoothing: 0.1 } as never)).toThrowError(
      "crossEntropy: unknown option 'label_smoothing' (did you mean 'labelSmoothing'?)",
    );
  });

  // Every class and function form, each given a key it does not have.
  const cases: [string, () => unknown, string][] = [
    ['L1Loss', () => new L1Loss({ reduce: false } as never), "L1Loss: unknown option 'reduce'"],
    ['l1Loss', () => l1Loss(f64([1]), f64([2]), { size_average: true } as never), "l1Loss: unknown option 'size_average'"],
    ['MSELoss', () => new MSELoss({ reductio: 'sum' } as never), "MSELoss: unknown option 'reductio' (did you mean 'reduction'?)"],
    ['mseLoss', () => mseLoss(f64([1]), f64([2]), { beta: 1 } as never), "mseLoss: unknown option 'beta'; known options: reduction"],
    ['SmoothL1Loss', () => new SmoothL1Loss({ delta: 1 } as never), "SmoothL1Loss: unknown option 'delta'"],
    [
      'smoothL1Loss',
      () => smoothL1Loss(f64([1]), f64([2]), { Beta: 1 } as never),
      "smoothL1Loss: unknown option 'Beta' (did you mean 'beta'?)",
    ],
    ['HuberLoss', () => new HuberLoss({ beta: 1 } as never), "HuberLoss: unknown option 'beta'"],
    [
      'huberLoss',
      () => huberLoss(f64([1]), f64([2]), { delta_: 1 } as never),
      "huberLoss: unknown option 'delta_' (did you mean 'delta'?)",
    ],
    ['BCELoss', () => new BCELoss({ pos_weight: f64([1]) } as never), "BCELoss: unknown option 'pos_weight'"],
    [
      'binaryCrossEntropy',
      () => binaryCrossEntropy(f64([0.5]), f64([1]), { weights: f64([1]) } as never),
      "binaryCrossEntropy: unknown option 'weights' (did you mean 'weight'?)",
    ],
    [
      'BCEWithLogitsLoss',
      () => new BCEWithLogitsLoss({ pos_weight: f64([1]) } as never),
      "BCEWithLogitsLoss: unknown option 'pos_weight' (did you mean 'posWeight'?)",
    ],
    [
      'binaryCrossEntropyWithLogits',
      () => binaryCrossEntropyWithLogits(f64([0.5]), f64([1]), { pos_weight: f64([1]) } as never),
      "binaryCrossEntropyWithLogits: unknown option 'pos_weight' (did you mean 'posWeight'?)",
    ],
    ['NLLLoss', () => new NLLLoss({ ignore_index: 0 } as never), "NLLLoss: unknown option 'ignore_index' (did you mean 'ignoreIndex'?)"],
    ['nllLoss', () => nllLoss(logits, classes, { labelSmoothing: 0.1 } as never), "nllLoss: unknown option 'labelSmoothing'"],
    ['KLDivLoss', () => new KLDivLoss({ log_target: true } as never), "KLDivLoss: unknown option 'log_target' (did you mean 'logTarget'?)"],
    [
      'klDiv',
      () => klDiv(f64([-1]), f64([0.5]), { log_target: true } as never),
      "klDiv: unknown option 'log_target' (did you mean 'logTarget'?)",
    ],
    ['SoftMarginLoss', () => new SoftMarginLoss({ margin: 1 } as never), "SoftMarginLoss: unknown option 'margin'"],
    ['softMarginLoss', () => softMarginLoss(f64([1]), f64([1]), { margin: 1 } as never), "softMarginLoss: unknown option 'margin'"],
    [
      'MarginRankingLoss',
      () => new MarginRankingLoss({ Margin: 1 } as never),
      "MarginRankingLoss: unknown option 'Margin' (did you mean 'margin'?)",
    ],
    [
      'marginRankingLoss',
      () => marginRankingLoss(f64([1]), f64([2]), f64([1]), { margins: 1 } as never),
      "marginRankingLoss: unknown option 'margins'",
    ],
    [
      'createLoss',
      () => createLoss('CrossEntropyLoss', { label_smoothing: 0.1 }),
      "createLoss: CrossEntropyLoss: unknown option 'label_smoothing' (did you mean 'labelSmoothing'?)",
    ],
  ];
  it.each(cases)('%s', (_name, build, message) => {
    expect(build).toThrowError(message);
  });

  it('a number where the options object goes throws instead of being dropped', () => {
    expect(() => new HuberLoss(0.5 as never)).toThrowError('HuberLoss: options must be an object of reduction, delta, but got 0.5');
    expect(() => new CrossEntropyLoss('sum' as never)).toThrowError('CrossEntropyLoss: options must be an object');
  });
});

describe('the module forms still pass their options to the function forms', () => {
  it('CrossEntropyLoss with every option equals crossEntropy with the same options', () => {
    const options = { reduction: 'sum' as const, weight: f64([1, 2, 0.5]), ignoreIndex: 0, labelSmoothing: 0.1 };
    const byModule = new CrossEntropyLoss(options).forward(logits, classes).item();
    const byFunction = crossEntropy(logits, classes, options).item();
    const plain = crossEntropy(logits, classes).item();
    expect(byModule).toBe(byFunction);
    expect(byModule).not.toBe(plain);
  });

  it('HuberLoss, KLDivLoss and MarginRankingLoss keep delta, logTarget and margin', () => {
    expect(new HuberLoss({ delta: 0.5 }).forward(f64([3]), f64([0])).item()).toBe(huberLoss(f64([3]), f64([0]), { delta: 0.5 }).item());
    // By hand: Huber with δ = 0.5 at |d| = 3 is δ(|d| − δ/2) = 1.375.
    expect(new HuberLoss({ delta: 0.5 }).forward(f64([3]), f64([0])).item()).toBe(1.375);
    expect(new KLDivLoss({ logTarget: true, reduction: 'sum' }).forward(f64([-1]), f64([-2])).item()).toBeCloseTo(
      Math.exp(-2) * (-2 + 1),
      14,
    );
    expect(new MarginRankingLoss({ margin: 1 }).forward(f64([1]), f64([1.5]), f64([1])).item()).toBe(1.5);
  });
});
