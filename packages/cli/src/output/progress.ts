import { SingleBar } from 'cli-progress';
import type { CheckpointEvent, DoneEvent, EpochEvent, Reporter, StartEvent, StepEvent } from './events.js';
import { formatCount, formatDone, formatEpoch, formatMetric, formatStart } from './summary.js';

const FORMAT = 'epoch {epochLabel} {bar} {value}/{total} batches · {speed} samples/s · loss {loss} · ETA {eta_formatted}';

/** On a terminal: the config, a progress bar per epoch, then a one-line summary of each epoch. */
export class TerminalReporter implements Reporter {
  private bar: SingleBar | null = null;

  constructor(private readonly stream: NodeJS.WriteStream = process.stdout) {}

  private line(text: string): void {
    this.stop();
    this.stream.write(`${text}\n`);
  }

  start(event: StartEvent): void {
    for (const line of formatStart(event)) this.line(line);
  }

  step(event: StepEvent): void {
    const payload = {
      epochLabel: `${String(event.epoch).padStart(String(event.epochs).length)}/${event.epochs}`,
      speed: formatCount(event.samplesPerSecond),
      loss: formatMetric(event.loss),
    };
    if (!this.bar) {
      this.bar = new SingleBar({
        format: FORMAT,
        stream: this.stream,
        barsize: 24,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 20,
        barCompleteChar: '█',
        barIncompleteChar: '░',
      });
      this.bar.start(event.batches, event.batch - 1, payload);
    }
    this.bar.update(event.batch, payload);
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

  stop(): void {
    if (!this.bar) return;
    this.bar.stop();
    this.bar = null;
  }
}
