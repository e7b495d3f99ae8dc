import type { CheckpointEvent, DoneEvent, EpochEvent, Reporter, StartEvent, StepEvent } from './events.js';
import { quietStdout } from './stdout.js';

/** Writes one JSON object, `{"event": name, ...payload}`, as one line. */
export function writeJsonLine(event: string, payload: object, stream: NodeJS.WritableStream = process.stdout): void {
  if (stream === process.stdout && quietStdout()) return;
  stream.write(`${JSON.stringify({ event, ...payload })}\n`);
}

/** Whether a command prints JSON: with `--json` (or `--format json`); people read the rest, in a pipe too. */
export function wantsJson(json: boolean | undefined): boolean {
  return json === true;
}

/** How `loom train` prints: a progress bar (terminals), a line per epoch and per N steps (pipes, log files), or JSON Lines. */
export type OutputFormat = 'bar' | 'text' | 'json';

/** `--json` or `--format json`: JSON; `--format text`: text; otherwise a bar on a terminal and text elsewhere. */
export function outputFormat(
  format: 'text' | 'json' | undefined,
  json: boolean | undefined,
  stream: { isTTY?: boolean } = process.stdout,
): OutputFormat {
  if (json === true || format === 'json') return 'json';
  if (format === 'text') return 'text';
  return stream.isTTY === true ? 'bar' : 'text';
}

/** Reports every event as one JSON object per line on stdout, and nothing else. */
export class JsonLinesReporter implements Reporter {
  constructor(
    /** Print every N-th step (and each epoch's last). */
    private readonly logEvery = 1,
    private readonly stream: NodeJS.WritableStream = process.stdout,
  ) {}

  start(event: StartEvent): void {
    writeJsonLine('start', event, this.stream);
  }

  step(event: StepEvent): void {
    if (event.step % this.logEvery === 0 || event.batch === event.batches) writeJsonLine('step', event, this.stream);
  }

  epoch(event: EpochEvent): void {
    writeJsonLine('epoch', event, this.stream);
  }

  checkpoint(event: CheckpointEvent): void {
    writeJsonLine('checkpoint', event, this.stream);
  }

  done(event: DoneEvent): void {
    writeJsonLine('done', event, this.stream);
  }

  notice(message: string): void {
    writeJsonLine('notice', { message }, this.stream);
  }

  stop(): void {}
}
