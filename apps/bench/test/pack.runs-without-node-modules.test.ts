import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseResults } from '../src/report/json.js';

const run = promisify(execFile);
const packScript = fileURLToPath(new URL('../scripts/pack.mjs', import.meta.url));

async function folderBytes(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true }))
    n += e.isDirectory() ? await folderBytes(join(dir, e.name)) : (await stat(join(dir, e.name))).size;
  return n;
}

describe('bench:pack', () => {
  let dir = '';

  beforeAll(async () => {
    // Outside the repository, so that nothing can resolve from a node_modules folder.
    dir = await mkdtemp(join(tmpdir(), 'loom-bench-pack-'));
    await run(process.execPath, [packScript, '--out', join(dir, 'pack')]);
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is a folder of bundles and .wasm files under 20 MB, without node_modules', async () => {
    expect(existsSync(join(dir, 'pack/node_modules'))).toBe(false);
    for (const f of [
      'lib/bench.js',
      'lib/worker.js',
      'lib/allreduce-worker.js',
      'worker/worker.js',
      'lib/kernels.wasm',
      'lib/tfjs-wasm/tfjs-backend-wasm-simd.wasm',
      'lib/pytorch.py',
      'lib/pytorch_ddp.py',
      'run.sh',
    ]) {
      expect(existsSync(join(dir, 'pack', f)), f).toBe(true);
    }
    expect(await folderBytes(join(dir, 'pack'))).toBeLessThan(20 * 1024 * 1024);
  });

  it('runs the study with plain node from another folder: Loom workers, the all-reduce workers, TF.js wasm', async () => {
    const out = join(dir, 'run');
    await run(
      process.execPath,
      [join(dir, 'pack/lib/bench.js'), '--smoke', '--workloads', 'W1', '--workers', '1,2', '--peers', 'tfjs-wasm', '--out', out],
      { cwd: dir, timeout: 120_000 },
    );
    const results = parseResults(await readFile(join(out, 'results.json'), 'utf8'));
    const w1 = results.scaling[0]!;
    // Where the run found a native BLAS (koffi resolves through NODE_PATH under pnpm), Loom runs
    // again with LOOM_BLAS=off; its kernel line says which.
    const blas = / for matmul$/.test(results.kernels);
    expect(w1.systems.map((s) => [s.system, s.status, s.points.map((p) => p.workers)])).toEqual([
      ['loom', 'ok', [1, 2]],
      ...(blas ? [['loom-wasm', 'ok', [1, 2]]] : []),
      ['loom-few-chunks', 'ok', [1, 2]],
      ['tfjs-wasm', 'ok', [1]],
      ['loom-projected', 'ok', [1, 2, 4, 8, 16, 32, 64]],
    ]);
    // Rows for 1 and 2 threads (and, with the WebAssembly kernels, the TypeScript reference at 1 too).
    expect(new Set(results.micro.filter((m) => m.suite === 'all-reduce').map((m) => m.workers))).toEqual(new Set([1, 2]));
    expect((await readFile(join(out, 'scaling.svg'), 'utf8')).startsWith('<svg')).toBe(true);
  }, 120_000);
});
