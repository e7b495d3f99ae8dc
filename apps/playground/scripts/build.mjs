// Builds the page into dist/: the page, the trainer's worker and the training workers bundled
// with esbuild, the kernel module's .wasm files copied beside them (esbuild does not follow
// `new URL('…', import.meta.url)`), and the built-in digits written once as an Arrow file.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { writeMnistArrow } from '@loom/parallel';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

await build({
  entryPoints: {
    page: join(root, 'src/page.ts'),
    'trainer-worker': join(root, 'src/trainer-worker.ts'),
    'loom-worker': join(root, 'src/loom-worker.ts'),
  },
  outdir: dist,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  sourcemap: true,
  logLevel: 'warning',
});

copyFileSync(join(root, 'index.html'), join(dist, 'index.html'));
const wasm = dirname(createRequire(import.meta.url).resolve('@loom/core/wasm/kernels.wasm'));
for (const file of ['kernels.wasm', 'kernels-relaxed.wasm']) copyFileSync(join(wasm, file), join(dist, file));

// The digits of @loom/parallel's `writeMnistArrow` (the `mnist` package's 10,000, shuffled once with a
// fixed seed): the same rows `loom train` uses.
const digits = join(dist, 'digits.arrow');
if (!existsSync(digits)) writeMnistArrow(digits);
console.log(`playground built in ${dist}`);
