import { relative } from 'node:path';
import type { TrainConfig } from '../config.js';
import type { DoneEvent, EpochEvent, StartEvent } from './events.js';

/** An integer with thousands separators: 10,000. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A loss or metric with four decimals, or '–' when absent. */
export function formatMetric(x: number | null | undefined): string {
  return x === null || x === undefined ? '–' : Number.isFinite(x) ? x.toFixed(4) : String(x);
}

/** Seconds as `12.3s` or `2m 05s`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const m = Math.floor(seconds / 60);
  return `${m}m ${String(Math.round(seconds - m * 60)).padStart(2, '0')}s`;
}

/** A path relative to the working directory when that is shorter. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && rel.length < path.length ? rel : path;
}

function named(spec: { name: string; options: Record<string, unknown> }): string {
  const options = Object.entries(spec.options).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return options.length > 0 ? `${spec.name}(${options.join(', ')})` : spec.name;
}

/** The resolved config, one `key  value` line per setting. */
export function formatConfig(config: TrainConfig): string[] {
  const rows: [string, string][] = [
    ['data', config.data ?? 'built-in MNIST (10,000 digits)'],
    ['features', config.features?.join(',') ?? 'all but the target'],
    ['target', config.target],
    ['model', config.model + (config.inputShape ? ` (input ${config.inputShape.join('×')})` : '')],
    ['loss', named(config.loss)],
    ['optimizer', named(config.optimizer)],
    [
      'scheduler',
      config.scheduler
        ? `${named(config.scheduler)} ${config.scheduler.name === 'ReduceLROnPlateau' ? `on ${config.scheduler.metric ?? 'val-loss'}` : `every ${config.scheduler.interval}`}`
        : 'none',
    ],
    ['epochs', String(config.epochs)],
    ['batch size', `${config.batchSize} (micro-batch ${config.microBatch})`],
    ['workers', String(config.workers)],
    ['seed', String(config.seed)],
    ['val split', String(config.valSplit)],
    ['penalties', `l1=${config.l1} l2=${config.l2}` + (config.clipGradNorm !== null ? ` clipGradNorm=${config.clipGradNorm}` : '')],
    ['on NaN', config.onNan],
  ];
  return rows.map(([k, v]) => `  ${k.padEnd(10)} ${v}`);
}

/** The lines printed before training on a terminal. */
export function formatStart(event: StartEvent): string[] {
  const { data } = event;
  const classes = data.classes !== null ? `, ${data.classes} classes` : '';
  const lines = [
    `loom train → ${displayPath(event.runDir)}`,
    ...formatConfig(event.config),
    `  ${'rows'.padEnd(10)} ${formatCount(data.rows)} from ${displayPath(data.path)}: ${formatCount(data.train)} train, ${formatCount(data.validation)} validation` +
      ` · features [${data.featureShape.join('×')}] → ${data.target}${classes}`,
    `  ${'model'.padEnd(10)} ${event.model}: ${formatCount(event.parameters)} parameters · kernels ${event.kernels}`,
  ];
  if (event.resumedFrom !== null) lines.push(`  resuming from ${displayPath(event.resumedFrom)} (${event.epochsDone} epochs done)`);
  return lines;
}

/** The one-line summary of an epoch. */
export function formatEpoch(event: EpochEvent): string {
  const width = String(event.epochs).length;
  return (
    `epoch ${String(event.epoch).padStart(width)}/${event.epochs}  train loss ${formatMetric(event.trainLoss)}` +
    `  val loss ${formatMetric(event.valLoss)}  val acc ${formatMetric(event.valAccuracy)}` +
    `  lr ${event.lr}  ${formatSeconds(event.seconds)} (${formatCount(event.samplesPerSecond)} samples/s)`
  );
}

/** The last line of a run. */
export function formatDone(event: DoneEvent): string {
  const where = event.checkpoint !== null ? ` · checkpoint ${displayPath(event.checkpoint)}` : '';
  if (event.status === 'interrupted') {
    const by = event.stoppedBy === 'EPIPE' ? 'stdout closed' : (event.stoppedBy ?? 'interrupted');
    return `stopped (${by}) after ${event.steps} steps, ${formatSeconds(event.seconds)}${where}; continue with --resume`;
  }
  const result =
    event.valAccuracy !== null
      ? `val accuracy ${formatMetric(event.valAccuracy)}, val loss ${formatMetric(event.valLoss)}`
      : `val loss ${formatMetric(event.valLoss)}`;
  return `done: ${event.epochs} epochs in ${formatSeconds(event.seconds)}; ${result}${where}`;
}
