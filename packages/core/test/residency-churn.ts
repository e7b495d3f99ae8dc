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

/**
 * `count` new tensors of 7s, of every size from 64 bytes to 32 KiB in turn, so that they take
 * whatever free regions moved-out tensors left: a stale view of a region then reads 7s.
 */
export function sevensInFreedRegions(count: number): Tensor[] {
  const sevens: Tensor[] = [];
  for (let i = 0; i < count; i++) {
    const t = Tensor.empty([16 << (i % 10)]);
    t.data().fill(7);
    sevens.push(t);
  }
  return sevens;
}
