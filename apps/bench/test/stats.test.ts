import { describe, expect, it } from 'vitest';
import { efficiency, median, quantile, samplesPerSecond, summarize, workerCounts } from '../src/stats.js';

describe('median and quantiles', () => {
  it('takes the middle sample, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('interpolates quantiles linearly as numpy.quantile does', () => {
    // numpy.quantile([1, 2, 3, 4], [0.25, 0.75]) == [1.75, 3.25]
    expect(quantile([4, 3, 2, 1], 0.25)).toBeCloseTo(1.75, 12);
    expect(quantile([1, 2, 3, 4], 0.75)).toBeCloseTo(3.25, 12);
    expect(quantile([1, 2, 3, 4], 0)).toBe(1);
    expect(quantile([1, 2, 3, 4], 1)).toBe(4);
  });

  it('summarizes runs with median, quartiles, IQR and range', () => {
    // numpy: median 30, q1 20, q3 40 for [10, 20, 30, 40, 50]
    expect(summarize([50, 10, 40, 20, 30])).toEqual({ n: 5, median: 30, q1: 20, q3: 40, iqr: 20, min: 10, max: 50 });
  });

  it('does not reorder the caller’s samples', () => {
    const runs = [3, 1, 2];
    median(runs);
    expect(runs).toEqual([3, 1, 2]);
  });

  it('refuses empty or non-finite samples, and q outside [0, 1]', () => {
    expect(() => median([])).toThrow(/at least one sample/);
    expect(() => summarize([1, Number.NaN])).toThrow(/sample 1 is NaN/);
    expect(() => quantile([1], 1.5)).toThrow(/q must lie in \[0, 1\], got 1.5/);
  });
});

describe('efficiency', () => {
  it('is throughput(N) / (N · throughput(1))', () => {
    expect(efficiency(8000, 4, 2500)).toBeCloseTo(0.8, 12);
    expect(efficiency(1000, 1, 1000)).toBe(1);
    expect(efficiency(3000, 2, 1000)).toBe(1.5);
  });

  it('names the bad argument', () => {
    expect(() => efficiency(100, 0, 10)).toThrow(/workers must be a positive integer, got 0/);
    expect(() => efficiency(100, 2, 0)).toThrow(/one-worker throughput must be positive, got 0/);
    expect(() => efficiency(-1, 2, 10)).toThrow(/non-negative, got -1/);
  });
});

describe('samplesPerSecond', () => {
  it('converts samples over milliseconds', () => {
    expect(samplesPerSecond(512, 256)).toBe(2000);
    expect(() => samplesPerSecond(512, 0)).toThrow(/elapsed time must be positive, got 0 ms/);
  });
});

describe('workerCounts', () => {
  it('doubles up to the core count and ends on it', () => {
    expect(workerCounts(1)).toEqual([1]);
    expect(workerCounts(2)).toEqual([1, 2]);
    expect(workerCounts(16)).toEqual([1, 2, 4, 8, 16]);
    expect(workerCounts(12)).toEqual([1, 2, 4, 8, 12]);
    expect(() => workerCounts(0)).toThrow(/positive integer, got 0/);
  });
});
