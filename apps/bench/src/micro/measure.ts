import { Bench } from 'tinybench';

/** How long tinybench spends on each case. */
export interface MeasureSettings {
  /** Milliseconds of timed iterations per case (at least `iterations` run whatever this says). */
  time: number;
  /** Minimum timed iterations. */
  iterations: number;
  /** Milliseconds of warm-up before timing (0: none). */
  warmupTime: number;
}

/** What a case measured: its median latency and how many iterations were timed. */
export interface Measurement {
  medianMs: number;
  samples: number;
}

/** Measure settings of a quick run, a full run, and the smoke test. */
export const MEASURE_PRESETS = {
  quick: { time: 150, iterations: 3, warmupTime: 30 },
  full: { time: 1000, iterations: 10, warmupTime: 200 },
  smoke: { time: 1, iterations: 1, warmupTime: 0 },
} as const satisfies Record<string, MeasureSettings>;

/** Times `fn` with tinybench and returns its median latency; a throwing case rejects. */
export async function measure(name: string, fn: () => unknown, settings: MeasureSettings): Promise<Measurement> {
  const bench = new Bench({
    time: settings.time,
    iterations: settings.iterations,
    warmup: settings.warmupTime > 0,
    warmupTime: settings.warmupTime,
    warmupIterations: settings.warmupTime > 0 ? 1 : 0,
    throws: true,
  });
  bench.add(name, fn);
  await bench.run();
  const result = bench.getTask(name)?.result;
  if (!result || (result.state !== 'completed' && result.state !== 'aborted-with-statistics')) {
    throw new Error(`measure: '${name}' did not complete (${result?.state ?? 'no result'})`);
  }
  return { medianMs: result.latency.p50, samples: result.latency.samplesCount };
}
