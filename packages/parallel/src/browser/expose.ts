import * as Comlink from 'comlink';
import { describeKernels, noGrad, tensor, withArena } from '@loom/core';
import { datasetFromShared, type SharedDataset } from '../data/index.js';
import type { EpochInfo, EvalResult, StepInfo, TrainerOptions } from '../trainer/options.js';
import { DataParallelTrainer, type FitResult } from '../trainer/trainer.js';

/** Options of a remote `fit`: the epochs, and a validation set as a descriptor (`datasetToShared`). */
export interface RemoteFitOptions {
  epochs: number;
  validation?: SharedDataset;
}

/** A trainer state as plain structured-clonable data: each tensor's shape and a copy of its elements. */
export interface PortableState {
  tensors: Record<string, { shape: number[]; data: Float32Array | Float64Array | Int32Array | Uint8Array }>;
  meta: Record<string, unknown>;
}

/**
 * What `exposeTrainer` serves over comlink, to be called from the page as `Comlink.wrap(worker)`.
 * Datasets cross as descriptors (`datasetToShared`), whose SharedArrayBuffers are shared, not
 * copied; callbacks cross as `Comlink.proxy(fn)`.
 */
export interface TrainerWorkerApi {
  /** Creates the trainer (the options of `new DataParallelTrainer`) and starts its workers. */
  create(options: TrainerOptions): Promise<{ workers: number; kernels: string }>;
  /**
   * `fit` on the training set. `onStep` is called for every step without waiting for it; `fit`
   * waits for `onEpoch`. An error thrown by either stops training and rejects `fit` with it.
   */
  fit(
    train: SharedDataset,
    options: RemoteFitOptions,
    onStep?: (info: StepInfo) => unknown,
    onEpoch?: (info: EpochInfo) => unknown,
  ): Promise<FitResult>;
  /** Stops a running `fit` after the step in progress (it resolves with `stopped: 'aborted'`). */
  abort(): void;
  evaluate(dataset: SharedDataset, options?: { batchSize?: number }): Promise<EvalResult>;
  /** The model's output for `features` of the given shape (batch first), without gradients; refused while fit steps. */
  predict(features: Float32Array, shape: number[]): Promise<{ shape: number[]; data: Float32Array }>;
  /** The trainer's whole state (`stateDict()`), copied out. */
  stateDict(): Promise<PortableState>;
  /** Stops the workers; `create` may be called again. */
  close(): Promise<void>;
}

/**
 * Serves a `DataParallelTrainer` over comlink from the worker this runs in (by default to the
 * page that created the worker). The trainer's own workers are module Web Workers this worker
 * starts (`setWorkerScript` says where their script is when a bundle moved it).
 */
export function exposeTrainer(endpoint?: Comlink.Endpoint): void {
  let trainer: DataParallelTrainer | null = null;
  let controller: AbortController | null = null;
  // Whether the parameters hold still: not while the workers step through an epoch on their own
  // (they do between epochs, while onEpoch runs).
  let still = true;
  const current = (what: string): DataParallelTrainer => {
    if (!trainer) throw new Error(`${what}: no trainer; call create(options) first`);
    return trainer;
  };
  const api: TrainerWorkerApi = {
    async create(options) {
      await trainer?.close();
      trainer = new DataParallelTrainer(options);
      await trainer.model(); // builds the model and starts the workers, so errors surface here
      return { workers: trainer.options.workers, kernels: describeKernels() };
    },
    async fit(train, options, onStep, onEpoch) {
      const t = current('fit');
      controller = new AbortController();
      still = false;
      const { signal } = controller;
      let callbackError: { error: unknown } | null = null;
      const stop = (error: unknown): void => {
        callbackError ??= { error };
        controller?.abort();
      };
      try {
        const result = await t.fit(datasetFromShared(train), {
          epochs: options.epochs,
          ...(options.validation ? { validation: datasetFromShared(options.validation) } : {}),
          signal,
          ...(onStep ? { onStep: (info: StepInfo) => void Promise.resolve(onStep(info)).catch(stop) } : {}),
          ...(onEpoch
            ? {
                onEpoch: async (info: EpochInfo) => {
                  still = true;
                  try {
                    await onEpoch(info);
                  } finally {
                    still = false;
                  }
                },
              }
            : {}),
        });
        if (callbackError) throw (callbackError as { error: unknown }).error;
        return result;
      } finally {
        controller = null;
        still = true;
        // The callbacks' message ports are closed (comlink keeps them open until released).
        for (const callback of [onStep, onEpoch]) (callback as Partial<Comlink.ProxyMethods> | undefined)?.[Comlink.releaseProxy]?.();
      }
    },
    abort() {
      controller?.abort();
    },
    evaluate: (dataset, options) => current('evaluate').evaluate(datasetFromShared(dataset), options),
    async predict(features, shape) {
      const t = current('predict');
      if (!still) throw new Error('predict: fit is running and the parameters change under it; call it from onEpoch or after fit returns');
      const model = await t.model();
      return noGrad(() =>
        withArena(() => {
          const out = model.forward(tensor(features, { shape })).contiguous();
          return { shape: [...out.shape], data: Float32Array.from(out.data() as Float32Array) };
        }),
      );
    },
    async stateDict() {
      const state = await current('stateDict').stateDict();
      const tensors: PortableState['tensors'] = {};
      for (const [name, t] of Object.entries(state.tensors)) {
        const data = t.contiguous().data();
        tensors[name] = { shape: [...t.shape], data: data.slice() };
      }
      return { tensors, meta: state.meta };
    },
    async close() {
      await trainer?.close();
      trainer = null;
    },
  };
  Comlink.expose(api, endpoint);
}
