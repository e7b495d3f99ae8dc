/** 'auto' never allows a step less than this. */
const AUTO_FLOOR_MS = 30_000;
/** 'auto' allows this many times the median step. */
const AUTO_FACTOR = 20;
/** The least any limit allows before a step has finished: worker start-up, model imports, the first compile. */
const FIRST_STEP_MS = 300_000;
/** Steps the median is taken over. */
const HISTORY = 101;

/**
 * How long a step may run: a fixed limit, or (auto) a multiple of the median of the steps before
 * it. Only the main thread's clock is involved, so it works whatever the workers are stuck in.
 */
export class StepWatchdog {
  private readonly recent: number[] = [];

  constructor(private readonly setting: number | 'auto' | undefined) {}

  /** The limit for the next step in milliseconds, or null for none. */
  limitMs(): number | null {
    if (this.setting === undefined) return null;
    if (this.recent.length === 0) return Math.max(FIRST_STEP_MS, this.setting === 'auto' ? 0 : this.setting);
    if (this.setting !== 'auto') return this.setting;
    const sorted = [...this.recent].sort((a, b) => a - b);
    return Math.max(AUTO_FLOOR_MS, AUTO_FACTOR * sorted[sorted.length >> 1]!);
  }

  /** Records a finished step's duration. */
  record(ms: number): void {
    this.recent.push(ms);
    if (this.recent.length > HISTORY) this.recent.shift();
  }

  /**
   * Resolves as `work` does, unless the limit passes first: then `onTimeout` runs (it stops the
   * workers) and its error rejects instead. `work` is left to settle on its own.
   */
  async watch<T>(work: Promise<T>, onTimeout: (limitMs: number) => Error): Promise<T> {
    const limit = this.limitMs();
    if (limit === null) return work;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(onTimeout(limit)), limit);
    });
    work.catch(() => {});
    try {
      return await Promise.race([work, expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}
