import { add, narrow, rand, randn, tensor, type Tensor } from '@loom/core';
import { describe, expect, it } from 'vitest';
import { createLoss, type LossName, lossNormalizer, type LossOptions } from '../src/index.js';

const f64 = { dtype: 'float64' } as const;

/** Full-batch mean loss and input gradient, against Σ chunk sums / Σ chunk normalisers. */
function compareChunked(name: LossName, options: LossOptions, input: Tensor, target: Tensor, chunks: number[]): void {
  const x = input.detach().clone();
  x.requiresGrad = true;
  const full = createLoss(name, { ...options, reduction: options['reduction'] ?? 'mean' }).forward(x, target);
  full.backward();

  const sumLoss = createLoss(name, { ...options, reduction: 'sum' });
  const xc = input.detach().clone();
  xc.requiresGrad = true;
  let start = 0;
  let total: Tensor | null = null;
  let normalizer = 0;
  for (const size of chunks) {
    const part = narrow(xc, 0, start, size);
    const partTarget = narrow(target, 0, start, size);
    const loss = sumLoss.forward(part, partTarget);
    total = total ? add(total, loss) : loss;
    normalizer += lossNormalizer(name, options, partTarget, part);
    start += size;
  }
  const chunked = total!.div(normalizer);
  chunked.backward();
  expect(chunked.item()).toBeCloseTo(full.item(), 12);
  const a = xc.grad!.toArray();
  const b = x.grad!.toArray();
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 12);
}

describe('Σ chunk sums / Σ chunk normalisers equals the full-batch mean', () => {
  const logits = randn([7, 4], f64);
  const classes = tensor(Int32Array.from([0, 1, 3, 1, 2, 1, 0]));
  const weight = tensor([0.5, 2, 1, 1.5], f64);
  const chunks = [3, 2, 2];

  it('cross-entropy, plain, weighted, with ignoreIndex and both', () => {
    compareChunked('cross_entropy', {}, logits, classes, chunks);
    compareChunked('cross_entropy', { weight }, logits, classes, chunks);
    compareChunked('cross_entropy', { ignoreIndex: 1 }, logits, classes, chunks);
    compareChunked('CrossEntropyLoss', { weight: [0.5, 2, 1, 1.5], ignoreIndex: 1, labelSmoothing: 0.1 }, logits, classes, chunks);
  });

  it('cross-entropy with class probabilities and spatial class indices', () => {
    compareChunked('cross_entropy', { weight, labelSmoothing: 0.2 }, logits, rand([7, 4], f64), chunks);
    const spatial = randn([3, 4, 2, 2], f64);
    const spatialClasses = tensor(Int32Array.from([0, 1, 2, 3, 1, 1, 1, 0, 2, 3, 1, 1]), { shape: [3, 2, 2] });
    compareChunked('cross_entropy', { weight, ignoreIndex: 1 }, spatial, spatialClasses, [1, 2]);
  });

  it('NLL, weighted with ignoreIndex', () => {
    compareChunked('nll', { weight, ignoreIndex: 1 }, logits, classes, chunks);
  });

  it('elementwise losses and KL divergence with batchmean', () => {
    const x = randn([7, 3], f64);
    const y = randn([7, 3], f64);
    for (const name of ['mse', 'l1', 'smooth_l1', 'huber', 'soft_margin'] as const) compareChunked(name, {}, x, y, chunks);
    compareChunked('bce_with_logits', { posWeight: [1, 2, 3] }, x, rand([7, 3], f64), chunks);
    compareChunked('bce', {}, rand([7, 3], f64).mul(0.9).add(0.05), rand([7, 3], f64), chunks);
    compareChunked('kl_div', { reduction: 'batchmean' }, x, rand([7, 3], f64), chunks);
  });

  it('refuses the one case with no single normaliser: label smoothing, no weight, ignored targets', () => {
    expect(() => lossNormalizer('cross_entropy', { labelSmoothing: 0.1, ignoreIndex: 1 }, classes, logits)).toThrow(/different counts/);
    expect(lossNormalizer('cross_entropy', { labelSmoothing: 0.1 }, classes, logits)).toBe(7);
  });

  it('gives the weight sum of the targets that are not ignored', () => {
    expect(lossNormalizer('nll', { weight, ignoreIndex: 1 }, classes)).toBe(0.5 + 1.5 + 1 + 0.5);
    expect(lossNormalizer('CrossEntropyLoss', { ignoreIndex: 1 }, classes)).toBe(4);
    expect(lossNormalizer('mse', {}, randn([4], f64), randn([3, 4], f64))).toBe(12);
  });
});
