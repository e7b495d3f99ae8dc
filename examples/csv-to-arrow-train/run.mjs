// CSV → Arrow → `loom train`: the command line, driven from a script. The same two commands in a shell:
//   loom data convert flowers.csv flowers.arrow
//   loom train --data flowers.arrow --features sepal_length,sepal_width,petal_length,petal_width \
//     --target species --model mlp:4,16,3 --lr 0.02 --epochs 20 --out runs/flowers
// Run from the repository root after `pnpm build`: node examples/csv-to-arrow-train/run.mjs [workdir]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The `loom` command as @loom/cli declares it (what `npx loom` would run once it is installed).
const require = createRequire(import.meta.url);
const cliManifest = require.resolve('@loom/cli/package.json');
const loomBin = resolve(dirname(cliManifest), JSON.parse(readFileSync(cliManifest, 'utf8')).bin.loom);
const loom = (...args) => execFileSync(process.execPath, [loomBin, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

const csv = fileURLToPath(new URL('./flowers.csv', import.meta.url));
const workdir = process.argv[2] ? resolve(process.argv[2]) : mkdtempSync(join(tmpdir(), 'loom-flowers-'));
mkdirSync(workdir, { recursive: true });
const arrow = join(workdir, 'flowers.arrow');
const run = join(workdir, 'runs', 'flowers');

console.log(`$ loom data convert ${csv} ${arrow}`);
console.log(loom('data', 'convert', csv, arrow, '--overwrite', '--json').trim());

console.log(`$ loom train --data ${arrow} … --out ${run}`);
// --json: stdout carries JSON Lines, one object per event (without it, lines of text).
const events = loom(
  'train',
  '--json',
  '--data',
  arrow,
  '--features',
  'sepal_length,sepal_width,petal_length,petal_width',
  '--target',
  'species',
  '--model',
  'mlp:4,16,3',
  '--lr',
  '0.02',
  '--epochs',
  '20',
  '--batch-size',
  '32',
  '--workers',
  '2',
  '--out',
  run,
  '--overwrite',
)
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));
for (const e of events.filter((e) => e.event === 'epoch')) {
  console.log(
    `epoch ${String(e.epoch).padStart(2)}  train ${e.trainLoss.toFixed(4)}  val ${e.valLoss.toFixed(4)}  accuracy ${(e.valAccuracy * 100).toFixed(1)}%`,
  );
}
console.log(`checkpoints and metrics in ${run}`);
