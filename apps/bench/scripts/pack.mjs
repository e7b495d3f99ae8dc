/**
 * bench:pack: a self-contained bench folder that a bare `node` (20+) runs on another x86-64
 * machine, with no node_modules: the bench, the trainer's worker and piscina's worker bundled by
 * esbuild, and the .wasm files they read at run time copied beside the bundles that read them.
 *
 *   pack/
 *     run.sh                 the 16-core run: the barrier check under a short timeout, then the
 *                            full study (Loom, PyTorch, PyTorch DDP) in one go
 *     package.json           {"type": "module"}: every bundle is ESM
 *     lib/bench.js           the CLI (dist/cli.js and everything it imports)
 *     lib/worker.js          piscina's worker, found by piscina as <its own folder>/worker.js
 *     lib/allreduce-worker.js  the all-reduce micro-benchmark's worker
 *     lib/kernels*.wasm      Loom's kernels, found beside the bundle that inlined the loader
 *     lib/tfjs-wasm/*.wasm   TensorFlow.js' wasm backend (setWasmPaths points here)
 *     lib/pytorch.py         the PyTorch peer's script
 *     lib/pytorch_ddp.py     the DistributedDataParallel peer's script
 *     worker/worker.js       the trainer's worker: the pool asks for ../worker/worker.js (its
 *                            `piscina` import is scripts/piscina-in-worker.mjs; the trainer hands
 *                            it the compiled kernel module, so it reads no .wasm)
 *
 * Usage: node scripts/pack.mjs [--out DIR] (after `tsc -p tsconfig.build.json`).
 */
import { copyFileSync, cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const LIMIT_BYTES = 20 * 1024 * 1024;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(root, '../..');
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = resolve(values.out ?? join(root, 'pack'));

// CommonJS dependencies (piscina, parts of TF.js) call require and read __dirname; in an ESM
// bundle those must be made from the bundle's own URL.
const banner = [
  "import { createRequire as __loomCreateRequire } from 'node:module';",
  "import { dirname as __loomDirname } from 'node:path';",
  "import { fileURLToPath as __loomFileURLToPath } from 'node:url';",
  'const require = __loomCreateRequire(import.meta.url);',
  'const __filename = __loomFileURLToPath(import.meta.url);',
  'const __dirname = __loomDirname(__filename);',
].join('\n');

async function bundle(entry, outfile, alias = {}) {
  await build({
    alias,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: banner },
    // Optional native add-ons that the bundled code loads inside try/catch.
    external: ['@napi-rs/nice', 'canvas'],
    logLevel: 'warning',
    legalComments: 'none',
  });
}

function copyKernels(dir) {
  const wasm = join(repo, 'packages/core/wasm');
  const files = readdirSync(wasm).filter((f) => f.endsWith('.wasm'));
  if (files.length === 0) throw new Error(`bench:pack: no .wasm in ${wasm}; build @loom/core first`);
  for (const f of files) copyFileSync(join(wasm, f), join(dir, f));
}

function folderBytes(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? folderBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size),
    0,
  );
}

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'lib/tfjs-wasm'), { recursive: true });
mkdirSync(join(out, 'worker'), { recursive: true });
writeFileSync(join(out, 'package.json'), `${JSON.stringify({ name: 'loom-bench-pack', private: true, type: 'module' }, null, 2)}\n`);

const requireFromParallel = createRequire(join(repo, 'packages/parallel/package.json'));
const piscinaWorker = join(dirname(requireFromParallel.resolve('piscina')), 'worker.js');
await bundle(join(root, 'dist/cli.js'), join(out, 'lib/bench.js'));
await bundle(piscinaWorker, join(out, 'lib/worker.js'));
await bundle(join(root, 'dist/micro/allreduce-worker.js'), join(out, 'lib/allreduce-worker.js'));
await bundle(join(repo, 'packages/parallel/dist/worker/worker.js'), join(out, 'worker/worker.js'), {
  piscina: join(root, 'scripts/piscina-in-worker.mjs'),
});

copyKernels(join(out, 'lib'));
const tfjsWasm = dirname(createRequire(join(root, 'package.json')).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
for (const f of readdirSync(tfjsWasm).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(tfjsWasm, f), join(out, 'lib/tfjs-wasm', f));
cpSync(join(root, 'src/peers/pytorch.py'), join(out, 'lib/pytorch.py'));
cpSync(join(root, 'src/peers/pytorch_ddp.py'), join(out, 'lib/pytorch_ddp.py'));
writeFileSync(
  join(out, 'run.sh'),
  [
    '#!/bin/sh',
    "# Loom bench on this machine: first check that training steps pass the workers' barrier at every",
    '# worker count (seconds; fails fast instead of hanging an hour into the run), then the full study:',
    '# Loom, PyTorch (every thread pool pinned per thread count) and PyTorch DDP, one report.',
    '# Extra arguments go to the study (e.g. --python /path/to/python3).',
    'set -e',
    'here=$(dirname "$0")',
    'timeout 300 node "$here/lib/bench.js" --check-barrier',
    'node "$here/lib/bench.js" --full "$@"',
    '',
  ].join('\n'),
  { mode: 0o755 },
);
writeFileSync(
  join(out, 'README.txt'),
  [
    'Loom bench, packed: runs with a bare `node` (20 or later) on x86-64 Linux, macOS or Windows.',
    '',
    '  sh run.sh                         # barrier check, then the whole study with both PyTorch peers',
    '  node lib/bench.js --full          # the whole study; results/<date>-<host>/ in the current folder',
    '  node lib/bench.js --quick         # a few minutes',
    '  node lib/bench.js --help',
    '',
    'The PyTorch peer runs when `python3` (or --python PATH) imports torch; otherwise it is reported as skipped.',
    '',
  ].join('\n'),
);

const bytes = folderBytes(out);
if (bytes > LIMIT_BYTES) throw new Error(`bench:pack: ${out} holds ${(bytes / 2 ** 20).toFixed(1)} MiB, over the 20 MiB limit`);
const shown = (path) => (relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path));
console.log(`bench:pack: ${shown(out)} (${(bytes / 2 ** 20).toFixed(1)} MiB): node ${shown(join(out, 'lib/bench.js'))} --full`);
