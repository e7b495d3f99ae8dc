import { isAbsolute, resolve } from 'node:path';

/** An absolute path: `path` as given when absolute, else relative to `base` (default: the working directory). */
export function resolvePath(path: string, base: string = process.cwd()): string {
  return isAbsolute(path) ? path : resolve(base, path);
}
