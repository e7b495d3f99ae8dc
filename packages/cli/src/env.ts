/**
 * The environment variables the `loom` command reads, in one place:
 * - LOOM_CACHE_DIR: where the built-in datasets are cached (default `$XDG_CACHE_HOME/loom`, else
 *   `~/.cache/loom`), read by @loom/parallel's `cacheDir`, re-exported here;
 * - LOOM_DEBUG=1: print stack traces with errors.
 * (@loom/core reads LOOM_KERNELS itself.)
 */
export { cacheDir } from '@loom/parallel';

/** Whether `LOOM_DEBUG=1` asks for stack traces on errors. */
export function debugEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.LOOM_DEBUG === '1';
}
