// Garbage collections per 1,000 training steps in each thread: W1's network (MLP 784-256-128-10,
// Adam) at a batch of BATCH (default 64) in chunks of 16, after a warm-up of WARM epochs (default 2;
// an epoch is 100 steps).
// Usage: node bench/gc-per-step.mjs [workers] [steps] (REPLAY=false: replaySteps off). The script runs itself again with V8's
// --trace-gc on (set at run time: it applies to every thread of the process) and counts each
// isolate's collections between two explicit collections of the main thread, which mark the timed
// steps in the trace itself (V8 buffers its trace apart from what JS prints, so printed markers
// would not line up with it).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const workers = Number(process.argv[2] ?? 2);
const steps = Number(process.argv[3] ?? 1000);
if (!(Number.isInteger(workers) && workers > 0)) throw new RangeError(`workers must be a positive integer, got ${process.argv[2]}`);
if (!(steps > 0 && steps % 100 === 0))
  throw new RangeError(`steps must be a positive multiple of 100 (an epoch is 100 steps), got ${process.argv[3]}`);

if (process.argv[4] === '--child') await child();
else await parent();

async function parent() {
  const args = [...process.execArgv, fileURLToPath(import.meta.url), String(workers), String(steps), '--child'];
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  // [pid:0xISOLATE]   1234 ms: Scavenge 20.1 (28.7) -> 12.2 (28.7) MB, 0.47 / 0.00 ms  ...
  const trace = /^\[\d+:(0x[0-9a-f]+)\]\s+\d+ ms: (Scavenge|Mark-Compact|Mark-Compact \(reduce\)|Mark-sweep)\b.*?, ([\d.]+) \/ [\d.]+ ms/;
  const isolates = new Map();
  let main = null;
  let marks = 0;
  for await (const line of createInterface({ input: proc.stdout })) {
    const m = trace.exec(line);
    if (!m) {
      if (!line.startsWith('[')) console.log(line);
      continue;
    }
    const [, isolate, kind, ms] = m;
    if (line.includes('testing')) {
      main ??= isolate;
      if (isolate === main) {
        marks++;
        continue;
      }
    }
    if (marks !== 1) continue;
    const c = isolates.get(isolate) ?? { scavenges: 0, markCompacts: 0, ms: 0 };
    if (kind === 'Scavenge') c.scavenges++;
    else c.markCompacts++;
    c.ms += Number(ms);
    isolates.set(isolate, c);
  }
  const code = await new Promise((resolve) => proc.on('close', resolve));
  if (code !== 0 || marks !== 2) throw new Error(`the measured run failed (exit code ${code}, ${marks} of 2 markers in the trace)`);
  console.log(
    `GCs during ${steps} steps, W1 MLP 784-256-128-10 at batch ${process.env.BATCH ?? 64} in chunks of 16, ${workers} workers (isolates without any are not listed):`,
  );
  console.log('| thread (V8 isolate) | scavenges | mark-compacts | GC ms |');
  console.log('|---|---:|---:|---:|');
  if (!isolates.has(main)) isolates.set(main, { scavenges: 0, markCompacts: 0, ms: 0 });
  for (const [isolate, c] of isolates) {
    console.log(`| ${isolate === main ? 'main' : 'worker'} ${isolate} | ${c.scavenges} | ${c.markCompacts} | ${c.ms.toFixed(1)} |`);
  }
}

async function child() {
  setFlagsFromString('--trace-gc');
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  const { Generator } = await import('@loom/core');
  const { DataParallelTrainer, datasetFromArrays } = await import('../dist/index.js');
  const batchSize = Number(process.env.BATCH ?? 64);
  const rows = batchSize * 100;
  const features = new Float32Array(new SharedArrayBuffer(rows * 784 * 4));
  new Generator(1).fillNormal(features);
  const targets = new Int32Array(new SharedArrayBuffer(rows * 4)).map((_, i) => (i * 7) % 10);
  const data = datasetFromArrays({ features, featureShape: [784], targets, numClasses: 10 });
  const trainer = new DataParallelTrainer({
    model: { builtin: 'mlp', sizes: [784, 256, 128, 10] },
    loss: { name: 'CrossEntropyLoss' },
    optimizer: { name: 'Adam', options: { lr: 1e-3 } },
    workers,
    batchSize,
    microBatch: 16,
    seed: 0,
    replaySteps: process.env.REPLAY !== 'false',
  });
  await trainer.fit(data, { epochs: Number(process.env.WARM ?? 2) });
  gc();
  const t0 = performance.now();
  await trainer.fit(data, { epochs: steps / 100 });
  const seconds = (performance.now() - t0) / 1000;
  gc();
  await trainer.close();
  console.log(`${steps} steps in ${seconds.toFixed(1)} s`);
}
