import type { CheckpointEvent, DoneEvent, EpochEvent, Reporter, StartEvent, StepEvent } from './events.js';
import { quietStdout } from './stdout.js';
import { formatCount, formatDone, formatEpoch, formatMetric, formatStart } from './summary.js';

/** A step line: `epoch 1/10  step 100  batch 100/141  loss 0.4321  lr 0.001  12,345 samples/s`. */
export function formatStep(event: StepEvent): string {
  const width = String(event.epochs).length;
  return (
    `epoch ${String(event.epoch).padStart(width)}/${event.epochs}  step ${event.step}  batch ${event.batch}/${event.batches}` +
    `  loss ${formatMetric(event.loss)}${event.skipped ? ' (skipped)' : ''}  lr ${event.lr}  ${formatCount(event.samplesPerSecond)} samples/s`
  );
}

/**
 * For pipes and log files: plain lines a person reads — the config, a step line every
 * `logEvery` steps, a line per epoch, notices and the end — no control characters, no JSON.
 */
export class TextReporter implements Reporter {
  constructor(
    private readonly logEvery = 100,
    private readonly stream: NodeJS.WritableStream = process.stdout,
  ) {}

  private line(text: string): void {
    if (this.stream === process.stdout && quietStdout()) return;
    this.stream.write(`${text}\n`);
  }

  start(event: StartEvent): void {
    for (const line of formatStart(event)) this.line(line);
  }

  step(event: StepEvent): void {
    if (event.step % this.logEvery === 0) this.line(formatStep(event));
  }

  epoch(event: EpochEvent): void {
    this.line(formatEpoch(event));
  }

  checkpoint(_event: CheckpointEvent): void {}

  done(event: DoneEvent): void {
    this.line(formatDone(event));
  }

  notice(message: string): void {
    this.line(message);
  }

  stop(): void {}
}
