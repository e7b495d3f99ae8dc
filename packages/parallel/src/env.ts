import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where built-in datasets are cached: `LOOM_CACHE_DIR`, else `$XDG_CACHE_HOME/loom`, else
 * `~/.cache/loom` (the one environment variable @loom/parallel reads; the `loom` command uses it too).
 * @param env - where `LOOM_CACHE_DIR` and `XDG_CACHE_HOME` are read; default `process.env` (the `~` fallback is the
 *   process's own home directory either way)
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LOOM_CACHE_DIR) return env.LOOM_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'loom');
  return join(homedir(), '.cache', 'loom');
}
