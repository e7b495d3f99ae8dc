import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The environment variables the `loom` command reads, in one place:
 * - LOOM_CACHE_DIR: where the built-in datasets are cached (default `$XDG_CACHE_HOME/loom`, else `~/.cache/loom`);
 * - LOOM_DEBUG=1: print stack traces with errors.
 * (@loom/core reads LOOM_KERNELS itself.)
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LOOM_CACHE_DIR) return env.LOOM_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'loom');
  return join(homedir(), '.cache', 'loom');
}

/** Whether `LOOM_DEBUG=1` asks for stack traces on errors. */
export function debugEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.LOOM_DEBUG === '1';
}
