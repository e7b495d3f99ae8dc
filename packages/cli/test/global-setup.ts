import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { LOOM_BIN } from './helpers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A directory for this test session: the dataset cache lives in `cache/`. */
    sessionDir: string;
    /** The first 2,000 built-in digits as an Arrow file, written by `loom data mnist --limit 2000`. */
    mnist2k: string;
  }
}

/** Writes the 2,000-digit subset once for every test file, with the cache in a temporary directory. */
export default function setup(project: TestProject): () => void {
  if (!existsSync(LOOM_BIN)) throw new Error(`${LOOM_BIN} is missing: build the package first (pnpm build)`);
  const sessionDir = mkdtempSync(join(tmpdir(), 'loom-cli-test-'));
  const mnist2k = join(sessionDir, 'mnist-2k.arrow');
  const result = spawnSync(process.execPath, [LOOM_BIN, 'data', 'mnist', '--out', mnist2k, '--limit', '2000'], {
    env: { ...process.env, LOOM_CACHE_DIR: join(sessionDir, 'cache') },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`loom data mnist failed: ${result.stderr}`);
  project.provide('sessionDir', sessionDir);
  project.provide('mnist2k', mnist2k);
  return () => rmSync(sessionDir, { recursive: true, force: true });
}
