/**
 * The statistics every table of the bench rests on: medians and quartiles of repeated runs, and
 * scaling efficiency as DESIGN.md defines it.
 */

/** Location and spread of repeated measurements. */
export interface Summary {
  /** Number of measurements. */
  n: number;
  median: number;
  /** First and third quartiles (linear interpolation between order statistics, as numpy's default). */
  q1: number;
  q3: number;
  /** Interquartile range q3 − q1. */
  iqr: number;
  min: number;
  max: number;
}

function checkSamples(op: string, samples: readonly number[]): void {
  if (samples.length === 0) throw new RangeError(`${op}: needs at least one sample, got none`);
  const bad = samples.findIndex((s) => !Number.isFinite(s));
  if (bad >= 0) throw new RangeError(`${op}: sample ${bad} is ${samples[bad]}, not a finite number`);
}

/**
 * The q-quantile of the samples (0 ≤ q ≤ 1), interpolating linearly between the two nearest order
 * statistics (numpy.quantile's default 'linear' method).
 */
export function quantile(samples: readonly number[], q: number): number {
  checkSamples('quantile', samples);
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must lie in [0, 1], got ${q}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** The median: the middle sample, or the mean of the two middle ones. */
export function median(samples: readonly number[]): number {
  return quantile(samples, 0.5);
}

/** Median, quartiles and range of the samples. */
export function summarize(samples: readonly number[]): Summary {
  checkSamples('summarize', samples);
  const q1 = quantile(samples, 0.25);
  const q3 = quantile(samples, 0.75);
  return {
    n: samples.length,
    median: median(samples),
    q1,
    q3,
    iqr: q3 - q1,
    min: Math.min(...samples),
    max: Math.max(...samples),
  };
}

/**
 * Scaling efficiency throughput(N) / (N · throughput(1)): 1 is perfect linear scaling, 0.5 means
 * N workers deliver half of N times one worker's throughput.
 */
export function efficiency(throughputN: number, workers: number, throughput1: number): number {
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`efficiency: workers must be a positive integer, got ${workers}`);
  if (!(throughput1 > 0)) throw new RangeError(`efficiency: the one-worker throughput must be positive, got ${throughput1}`);
  if (!(throughputN >= 0)) throw new RangeError(`efficiency: the throughput must be non-negative, got ${throughputN}`);
  return throughputN / (workers * throughput1);
}

/** Samples per second of a run that processed `samples` samples in `ms` milliseconds. */
export function samplesPerSecond(samples: number, ms: number): number {
  if (!(ms > 0)) throw new RangeError(`samplesPerSecond: the elapsed time must be positive, got ${ms} ms`);
  return (samples * 1000) / ms;
}

/**
 * The worker counts of a scaling study: 1, 2, 4, … up to `max`, with `max` itself appended when
 * it is not a power of two (12 cores give 1, 2, 4, 8, 12).
 */
export function workerCounts(max: number): number[] {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`workerCounts: max must be a positive integer, got ${max}`);
  const counts: number[] = [];
  for (let n = 1; n <= max; n *= 2) counts.push(n);
  if (counts[counts.length - 1] !== max) counts.push(max);
  return counts;
}
