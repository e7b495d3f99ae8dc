import { kernelInfo, matmulKernel, randn, type Tensor } from '@loom/core';
import type { MicroResult } from '../report/types.js';
import { measure, type MeasureSettings } from './measure.js';

/** The matmul shapes the issue names: [M, K, N] for an M×K · K×N product. */
export const MATMUL_SHAPES: readonly (readonly [number, number, number])[] = [
  [256, 784, 256],
  [512, 1024, 1024],
];

/** '256×784·784×256' */
export function matmulName([m, k, n]: readonly [number, number, number]): string {
  return `${m}×${k}·${k}×${n}`;
}

/**
 * Float32 matmul GFLOPS (2·M·K·N per product) of each path Loom has here — the native BLAS where
 * one loaded ('blas'), the WebAssembly kernel (labelled with its build), the TypeScript reference —
 * called on the same tensors in this one process so that they are directly comparable. The
 * reference is skipped for shapes above `jsMaxFlops` to keep a quick run quick.
 */
export async function matmulSuite(settings: MeasureSettings, jsMaxFlops = Number.POSITIVE_INFINITY): Promise<MicroResult[]> {
  const results: MicroResult[] = [];
  const info = kernelInfo();
  const wasm = matmulKernel.implementation('wasm');
  const paths: [string, typeof matmulKernel.js][] = [];
  if (info.blas) paths.push(['blas', matmulKernel.select('float32')]);
  if (info.backend !== 'js' && wasm) paths.push([info.backend, wasm]);
  for (const shape of MATMUL_SHAPES) {
    const [m, k, n] = shape;
    const a = randn([m, k]);
    const b = randn([k, n]);
    const c = randn([m, n]);
    const flops = 2 * m * k * n;
    const impls = [...paths];
    if (impls.length === 0 || flops <= jsMaxFlops) impls.push(['js', matmulKernel.js]);
    for (const [backend, fn] of impls) {
      const run = (): void => fn(m, n, k, data(a), 0, k, 1, data(b), 0, n, 1, data(c), 0, false);
      const r = await measure(`matmul ${matmulName(shape)} ${backend}`, run, settings);
      results.push({ suite: 'matmul', name: matmulName(shape), backend, value: flops / (r.medianMs * 1e6), unit: 'GFLOPS', ...r });
    }
  }
  return results;
}

function data(t: Tensor): Float32Array {
  return t.data() as Float32Array;
}
