/**
 * The playground page: trains the MNIST MLP on the built-in digits on N Web Workers (the trainer
 * itself runs in a worker, driven through comlink), charts loss and accuracy live, and predicts
 * the digit drawn on the pad. `?workers=2&epochs=1&train=512&val=256&auto=1` sets the controls and
 * starts training on load (the browser test does this); `window.loomPlayground` tells how it went.
 */
import * as Comlink from 'comlink';
import { datasetToShared, type EpochInfo, type StepInfo, type TrainerWorkerApi } from '@loom/parallel';
import { TrainingChart } from './chart.js';
import { DIGITS_FILE, SIDE, trainerOptions } from './config.js';
import { digitsSplit } from './digits.js';
import { drawingPad, toDigit } from './draw.js';
import { stateHash } from './hash.js';

/** What the page did, for people reading the console and for the browser test. */
interface PlaygroundStatus {
  state: 'loading' | 'ready' | 'training' | 'done' | 'aborted' | 'error';
  error?: string;
  kernels?: string;
  workers?: number;
  epochs: EpochInfo[];
  /** SHA-256 of the trained state (weights and optimizer buffers). */
  hash?: string;
  prediction?: { input: number[]; logits: number[]; digit: number };
}

const status: PlaygroundStatus = { state: 'loading', epochs: [] };
(globalThis as unknown as { loomPlayground: PlaygroundStatus }).loomPlayground = status;

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const ui = {
  workers: $<HTMLInputElement>('workers'),
  epochs: $<HTMLInputElement>('epochs'),
  trainRows: $<HTMLInputElement>('train-rows'),
  train: $<HTMLButtonElement>('train'),
  stop: $<HTMLButtonElement>('stop'),
  message: $<HTMLElement>('message'),
  throughput: $<HTMLElement>('throughput'),
  progress: $<HTMLElement>('progress'),
  chart: $<HTMLCanvasElement>('chart'),
  pad: $<HTMLCanvasElement>('pad'),
  clear: $<HTMLButtonElement>('clear'),
  prediction: $<HTMLElement>('prediction'),
};

const params = new URLSearchParams(location.search);
const cores = navigator.hardwareConcurrency || 1;
ui.workers.max = String(cores);
ui.workers.value = params.get('workers') ?? String(Math.min(4, cores));
ui.epochs.value = params.get('epochs') ?? '3';
ui.trainRows.value = params.get('train') ?? '9000';
const valRows = Number(params.get('val') ?? 1000);

const chart = new TrainingChart(ui.chart);
const trainer = Comlink.wrap<TrainerWorkerApi>(
  new Worker(new URL('./trainer-worker.js', import.meta.url), { type: 'module', name: 'loom-trainer' }),
);
let trained = false;

function show(message: string, isError = false): void {
  ui.message.textContent = message;
  ui.message.classList.toggle('error', isError);
}

function fail(error: unknown): void {
  status.state = 'error';
  status.error = error instanceof Error ? `${error.message}` : String(error);
  show(status.error, true);
  console.error(error);
}

if (!crossOriginIsolated) {
  fail(
    new Error('this page is not cross-origin isolated, so it has no shared memory: serve it with COOP/COEP headers (pnpm playground does)'),
  );
}

const digitsBytes = fetch(DIGITS_FILE).then(async (response) => {
  if (!response.ok) throw new Error(`${DIGITS_FILE}: HTTP ${response.status} (run the playground's build first)`);
  return new Uint8Array(await response.arrayBuffer());
});

async function train(): Promise<void> {
  ui.train.disabled = true;
  ui.stop.disabled = false;
  status.state = 'training';
  status.epochs = [];
  delete status.hash;
  try {
    const epochs = Number(ui.epochs.value);
    const { train: trainSet, validation } = digitsSplit(await digitsBytes, Number(ui.trainRows.value), valRows);
    show('starting the workers…');
    const info = await trainer.create(trainerOptions(Number(ui.workers.value)));
    status.kernels = info.kernels;
    status.workers = info.workers;
    const batchesPerEpoch = Math.ceil(trainSet.length / trainerOptions(1).batchSize);
    chart.reset(epochs * batchesPerEpoch);
    show(`training on ${info.workers} Web Workers · ${info.kernels}`);
    // Samples per second over the last second of steps, as they arrive.
    const recent: { time: number; samples: number }[] = [];
    let frame = 0;
    const onStep = (step: StepInfo): void => {
      chart.addLoss(step.step + 1, step.loss);
      const now = performance.now();
      recent.push({ time: now, samples: step.samples });
      while (recent.length > 1 && now - recent[0]!.time > 1000) recent.shift();
      const span = (now - recent[0]!.time) / 1000;
      const samples = recent.slice(1).reduce((n, r) => n + r.samples, 0);
      if (span > 0) ui.throughput.textContent = `${Math.round(samples / span).toLocaleString()} samples/s`;
      ui.progress.textContent = `epoch ${step.epoch + 1}/${epochs} · batch ${step.batch + 1}/${step.batches} · loss ${step.loss.toFixed(4)}`;
      frame ||= requestAnimationFrame(() => {
        frame = 0;
        chart.draw();
      });
    };
    const onEpoch = (epoch: EpochInfo): void => {
      status.epochs.push(epoch);
      chart.addAccuracy((epoch.epoch + 1) * batchesPerEpoch, epoch.valAccuracy ?? 0);
      ui.throughput.textContent = `${Math.round(epoch.samplesPerSecond).toLocaleString()} samples/s (epoch ${epoch.epoch + 1})`;
      show(
        `epoch ${epoch.epoch + 1}: validation accuracy ${((epoch.valAccuracy ?? 0) * 100).toFixed(1)}%, loss ${(epoch.valLoss ?? 0).toFixed(4)}`,
      );
    };
    const result = await trainer.fit(
      datasetToShared(trainSet),
      { epochs, validation: datasetToShared(validation) },
      Comlink.proxy(onStep),
      Comlink.proxy(onEpoch),
    );
    chart.draw();
    status.hash = await stateHash(await trainer.stateDict());
    trained = true;
    status.state = result.stopped === 'done' ? 'done' : 'aborted';
    const last = status.epochs.at(-1);
    show(
      `${result.stopped === 'done' ? 'trained' : 'stopped'} after ${result.step} steps` +
        (last ? ` · validation accuracy ${((last.valAccuracy ?? 0) * 100).toFixed(1)}%` : '') +
        ' · draw a digit on the pad',
    );
    if (hasInk) await predict();
  } catch (error) {
    fail(error);
  } finally {
    ui.train.disabled = false;
    ui.stop.disabled = true;
  }
}

let hasInk = false;

async function predict(): Promise<void> {
  const input = toDigit(ui.pad);
  hasInk = input !== null;
  if (!input) return;
  if (!trained || status.state === 'training') {
    ui.prediction.textContent = 'train the model first';
    return;
  }
  try {
    const { data } = await trainer.predict(input, [1, SIDE * SIDE]);
    const logits = Array.from(data);
    const max = Math.max(...logits);
    const exps = logits.map((l) => Math.exp(l - max));
    const total = exps.reduce((a, b) => a + b, 0);
    const digit = logits.indexOf(max);
    status.prediction = { input: Array.from(input), logits, digit };
    ui.prediction.replaceChildren(
      ...exps.map((e, d) => {
        const row = document.createElement('div');
        row.className = d === digit ? 'bar best' : 'bar';
        row.innerHTML = `<span>${d}</span><i style="width:${((e / total) * 100).toFixed(1)}%"></i><b>${((e / total) * 100).toFixed(1)}%</b>`;
        return row;
      }),
    );
  } catch (error) {
    fail(error);
  }
}

const pad = drawingPad(ui.pad, () => void predict());
ui.clear.addEventListener('click', () => {
  pad.clear();
  hasInk = false;
  ui.prediction.textContent = 'draw a digit';
});
ui.train.addEventListener('click', () => void train());
ui.stop.addEventListener('click', () => void trainer.abort());

digitsBytes.then(() => {
  if (status.state === 'error') return;
  status.state = 'ready';
  show('ready: choose the workers and train');
  ui.train.disabled = false;
  if (params.get('auto') === '1') void train();
}, fail);
