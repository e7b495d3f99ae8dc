import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './files.js';
import { METRICS_FILE } from './run-dir.js';

/** One line of metrics.jsonl. */
export type MetricsRecord = { event: string } & Record<string, unknown>;

/** Appends one record to the run's metrics.jsonl. */
export function appendMetrics(runDir: string, record: MetricsRecord): void {
  appendFileSync(join(runDir, METRICS_FILE), `${JSON.stringify(record)}\n`);
}

/** The records of a run's metrics.jsonl; a line a killed process left half-written is skipped. */
export function readMetrics(runDir: string): MetricsRecord[] {
  const path = join(runDir, METRICS_FILE);
  if (!existsSync(path)) return [];
  const records: MetricsRecord[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    try {
      records.push(JSON.parse(line) as MetricsRecord);
    } catch {
      // A torn last line of a killed run.
    }
  }
  return records;
}

/**
 * Cuts metrics.jsonl back to a checkpoint (steps up to `step`, epochs up to `epoch`), so a resumed
 * run does not record the steps after the checkpoint twice; then records the resume.
 */
export function rewindMetrics(runDir: string, checkpoint: { step: number; epoch: number; file: string }): number {
  const records = readMetrics(runDir);
  const kept = records.filter((r) => {
    if (r.event === 'epoch') return Number(r.epoch) <= checkpoint.epoch;
    return typeof r.step !== 'number' || r.step <= checkpoint.step;
  });
  kept.push({
    event: 'resume',
    step: checkpoint.step,
    epoch: checkpoint.epoch,
    checkpoint: checkpoint.file,
    dropped: records.length - kept.length,
    time: new Date().toISOString(),
  });
  writeFileAtomic(join(runDir, METRICS_FILE), kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return records.length + 1 - kept.length;
}
