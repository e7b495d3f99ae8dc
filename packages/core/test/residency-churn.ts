import { Tensor } from '../src/index.js';

/** 300 accesses of one small tensor: a pass keeps the last 256 accesses' regions, whatever their age. */
export function touchOthers(): void {
  const small = Tensor.empty([4]);
  for (let i = 0; i < 300; i++) small.data();
}

/**
 * Makes every tensor so far move out: `count` new tensors of `bytes`, each allocation a pass
 * (with a least headroom below `bytes`).
 */
export function churn(count: number, bytes: number): void {
  for (let i = 0; i < count; i++) {
    touchOthers();
    Tensor.empty([bytes / 4])
      .data()
      .fill(0);
  }
  touchOthers();
}
