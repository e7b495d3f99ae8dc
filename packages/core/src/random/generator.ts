import { formatValue } from '../util/format-value.js';

/**
 * A seeded pseudo-random generator (xoshiro128**, seeded through splitmix32), whose whole state is
 * four 32-bit words that can be saved and restored exactly. Loom's numbers are reproducible from a
 * seed; they are not PyTorch's numbers (its Mersenne Twister/Philox streams are not reproduced).
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private seedValue = 0;

  /** @param seed - the initial seed, as `manualSeed` takes it (default 0). */
  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  /**
   * Re-seeds the generator; returns it.
   * @param seed - a finite number, typically an integer: its low and high 32-bit words (up to
   *   2^53) seed the state, a fraction is dropped; the same seed gives the same stream.
   */
  manualSeed(seed: number): this {
    if (!Number.isFinite(seed)) throw new TypeError(`manualSeed: seed must be a finite number, got ${formatValue(seed)}`);
    this.seedValue = seed;
    // splitmix32 over the low and high 32 bits of the seed gives a well-mixed, non-zero state.
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / 2 ** 32) | 0, 0x9e3779b9);
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      // Signed: the state words stay small integers to V8 (the bits are the same).
      return z ^ (z >>> 16);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    return this;
  }

  /** The seed last given to `manualSeed`. */
  initialSeed(): number {
    return this.seedValue;
  }

  /** The full state; `setState` of it resumes the exact same stream. */
  getState(): number[] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }

  /**
   * Restores a state saved by `getState`; returns the generator.
   * @param state - the four unsigned 32-bit integer words `getState()` returned; anything else throws.
   */
  setState(state: readonly number[]): this {
    if (state.length !== 4 || state.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
      throw new TypeError('Generator.setState: expected the four 32-bit words returned by getState()');
    }
    [this.s0, this.s1, this.s2, this.s3] = state.map((w) => w | 0) as [number, number, number, number];
    return this;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    return this.nextInt32() >>> 0;
  }

  /**
   * The next 32 random bits as a signed integer: a small integer to V8, where an unsigned one
   * above 2^31 is a heap number when it is returned (a permutation of an epoch made ~64,000).
   */
  private nextInt32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const hi = this.nextInt32() >>> 5;
    const lo = this.nextInt32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * A uniform integer in [0, n) without modulo bias, for n ≤ 2^32.
   * @param n - the exclusive upper bound, a positive integer ≤ 2^32; n ≤ 0 throws.
   */
  nextBelow(n: number): number {
    if (n <= 0) throw new RangeError(`nextBelow: n must be positive, got ${n}`);
    const limit = Math.floor(2 ** 32 / n) * n;
    let r = this.nextInt32() >>> 0;
    while (r >= limit) r = this.nextInt32() >>> 0;
    return r % n;
  }

  /**
   * Fills `out` with normal samples of mean `mean` and standard deviation `std` (Box–Muller, both
   * outputs used).
   * @param out - the array filled in place, from index 0 to its end.
   * @param mean - the distribution's mean (default 0).
   * @param std - its standard deviation (default 1).
   */
  fillNormal(out: Float32Array | Float64Array, mean = 0, std = 1): void {
    for (let i = 0; i < out.length; i += 2) {
      const u1 = 1 - this.nextDouble();
      const u2 = this.nextDouble();
      const r = Math.sqrt(-2 * Math.log(u1));
      out[i] = mean + std * r * Math.cos(2 * Math.PI * u2);
      if (i + 1 < out.length) out[i + 1] = mean + std * r * Math.sin(2 * Math.PI * u2);
    }
  }

  /**
   * Fills `out` with uniform samples in [low, high).
   * @param out - the array filled in place, from index 0 to its end.
   * @param low - the inclusive lower bound (default 0).
   * @param high - the exclusive upper bound (default 1); with high = low every sample is `low`.
   */
  fillUniform(out: Float32Array | Float64Array, low = 0, high = 1): void {
    const span = high - low;
    for (let i = 0; i < out.length; i++) {
      // Rounding to float32 can turn a draw just below `high` into `high`: draw again.
      do out[i] = low + span * this.nextDouble();
      while (out[i]! >= high && span > 0);
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The generator used when none is passed. */
export const defaultGenerator = new Generator(0);

/**
 * Seeds the default generator, as `torch.manual_seed` does; returns it.
 * @param seed - a finite number, normally an integer (a fraction is dropped); non-finite throws
 */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}

/**
 * Throws unless `value` is a Loom `Generator` (a seed, or a PyTorch generator object, cannot stand in for one); returns it.
 * @param op - the function or class named in the error ('dropout')
 * @param value - what the caller gave as `generator`
 */
export function checkGenerator(op: string, value: unknown): Generator {
  if (!(value instanceof Generator)) {
    throw new TypeError(`${op}: generator must be a Generator (new Generator(seed)), got ${formatValue(value)}`);
  }
  return value;
}
