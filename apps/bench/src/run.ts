import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseCli, USAGE } from './args.js';
import { renderMarkdown } from './report/markdown.js';
import { runFolderName, writeReport } from './report/write.js';
import { checkBarrier } from './scaling/barrier-check.js';
import { type Log, runStudy } from './study.js';

/** The barrier check's size: seconds on any machine, or a clear failure. */
const BARRIER_CHECK = { steps: 300, timeoutMs: 60_000, stepTimeoutMs: 5_000 };

/** What a run wrote, or null after --help or --check-barrier. */
export type BenchOutput = { dir: string; json: string; markdown: string; chart: string } | null;

/** Parses the command line, runs the study, writes its report; returns where it went. */
export async function runBench(argv: readonly string[], log: Log = (line) => process.stderr.write(`${line}\n`)): Promise<BenchOutput> {
  const config = parseCli(argv, availableParallelism());
  if (!config) {
    log(USAGE);
    return null;
  }
  if (config.checkBarrier) {
    const checks = await checkBarrier(config.workers, BARRIER_CHECK);
    for (const c of checks)
      log(
        `barrier check, ${c.workers} worker${c.workers > 1 ? 's' : ''}: ${c.ok ? `ok, ${BARRIER_CHECK.steps} steps in ${Math.round(c.ms)} ms` : `FAILED: ${c.error}`}`,
      );
    if (checks.some((c) => !c.ok))
      throw new Error("the barrier check failed: training steps do not pass the workers' barrier on this machine");
    return null;
  }
  const command = ['loom-bench', ...argv].join(' ');
  log(
    `loom-bench (${config.mode}): workers ${config.workers.join(',')}, workloads ${config.workloads.join(',')}, peers ${config.peers.join(',') || 'none'}`,
  );
  const results = await runStudy(config, command, log);
  const dir = config.out ?? join('results', runFolderName(results));
  const paths = await writeReport(dir, results);
  log(`\n${renderMarkdown(results)}`);
  log(`wrote ${paths.json}, ${paths.markdown}, ${paths.chart} (${Math.round(results.seconds)} s)`);
  return { dir, ...paths };
}
