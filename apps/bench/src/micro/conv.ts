import { backward, conv2d, randn, sum, withArena } from '@loom/core';
import type { MicroResult } from '../report/types.js';
import { measure, type MeasureSettings } from './measure.js';

/** A convolution of the LeNet-style CNN: input [N, C, H, W], Cout filters of k×k, padding. */
interface ConvCase {
  name: string;
  input: [number, number, number, number];
  outChannels: number;
  kernel: number;
  padding: number;
  /** Whether the input needs a gradient (not for the first layer, whose input is data). */
  inputGrad: boolean;
}

/** Both convolutions of W3's network at its batch of 128. */
export const LENET_CONVS: readonly ConvCase[] = [
  { name: 'conv1 1→6 5×5 pad 2, 128×1×28×28', input: [128, 1, 28, 28], outChannels: 6, kernel: 5, padding: 2, inputGrad: false },
  { name: 'conv2 6→16 5×5, 128×6×14×14', input: [128, 6, 14, 14], outChannels: 16, kernel: 5, padding: 0, inputGrad: true },
];

/**
 * conv2d forward + backward (weight, bias and, past the first layer, input gradients) of the
 * LeNet layers; GFLOPS count 2·N·Cout·Hout·Wout·Cin·k² per forward, as much again per gradient
 * of weight and of input.
 */
export async function convSuite(settings: MeasureSettings, backend: string): Promise<MicroResult[]> {
  const results: MicroResult[] = [];
  for (const c of LENET_CONVS) {
    const [n, cin, h, w] = c.input;
    const x = randn(c.input, { requiresGrad: c.inputGrad });
    const weight = randn([c.outChannels, cin, c.kernel, c.kernel], { requiresGrad: true });
    const bias = randn([c.outChannels], { requiresGrad: true });
    const ho = h + 2 * c.padding - c.kernel + 1;
    const wo = w + 2 * c.padding - c.kernel + 1;
    const forwardFlops = 2 * n * c.outChannels * ho * wo * cin * c.kernel * c.kernel;
    const flops = forwardFlops * (c.inputGrad ? 3 : 2);
    // Leaf gradients accumulate across iterations, as they do between zeroGrad calls in training.
    const run = (): void => withArena(() => backward(sum(conv2d(x, weight, bias, { padding: c.padding }))));
    const r = await measure(`conv2d ${c.name}`, run, settings);
    results.push({ suite: 'conv2d fwd+bwd', name: c.name, backend, value: flops / (r.medianMs * 1e6), unit: 'GFLOPS', ...r });
  }
  return results;
}
