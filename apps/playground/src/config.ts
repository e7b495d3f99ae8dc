import type { TrainerOptions } from '@loom/parallel';

/** Side of a digit image in pixels. */
export const SIDE = 28;

/** The file `pnpm build` writes beside the page: the built-in digits as an Arrow IPC file. */
export const DIGITS_FILE = 'digits.arrow';

/**
 * The trainer's options, as `loom train` trains the MNIST MLP by default: 784-256-128-10 with
 * ReLU, cross-entropy, Adam at 1e-3, batches of 64 cut into chunks of 32, seed 0. The page and the
 * test's Node reference both take them from here.
 */
export function trainerOptions(workers: number): TrainerOptions {
  return {
    model: { builtin: 'mlp', sizes: [SIDE * SIDE, 256, 128, 10] },
    loss: { name: 'CrossEntropyLoss' },
    optimizer: { name: 'Adam', options: { lr: 1e-3 } },
    batchSize: 64,
    microBatch: 32,
    seed: 0,
    workers,
  };
}
