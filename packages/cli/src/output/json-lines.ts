import type { CheckpointEvent, DoneEvent, EpochEvent, Reporter, StartEvent, StepEvent } from './events.js';

/** Writes one JSON object, `{"event": name, ...payload}`, as one line. */
export function writeJsonLine(event: string, payload: object, stream: NodeJS.WritableStream = process.stdout): void {
  stream.write(`${JSON.stringify({ event, ...payload })}\n`);
}

/** Whether a command prints JSON Lines: with `--json`, or whenever stdout is not a terminal. */
export function wantsJson(json: boolean | undefined, stream: { isTTY?: boolean } = process.stdout): boolean {
  return json === true || stream.isTTY !== true;
}

/** Reports every event as one JSON object per line on stdout, and nothing else. */
export class JsonLinesReporter implements Reporter {
  constructor(private readonly stream: NodeJS.WritableStream = process.stdout) {}

  start(event: StartEvent): void {
    writeJsonLine('start', event, this.stream);
  }

  step(event: StepEvent): void {
    writeJsonLine('step', event, this.stream);
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
