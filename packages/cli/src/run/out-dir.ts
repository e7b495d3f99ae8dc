import { accessSync, constants, existsSync, realpathSync, statfsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';

/** Pseudo file systems where a run can never live (mkdir there can hang or fail oddly). */
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];
/** statfs magic numbers of procfs, sysfs, devtmpfs/tmpfs-on-/dev are not enough alone: also check by path. */
const PSEUDO_FS = new Map<number, string>([
  [0x9fa0, 'procfs'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x64626720, 'debugfs'],
  [0x27e0eb, 'cgroupfs'],
  [0x63677270, 'cgroup2fs'],
]);

function under(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

/**
 * Checks `--out` before any data is read or worker started: not under /proc, /sys or /dev (also
 * through a symlink), not a file, and its nearest existing directory writable. Nothing is created.
 */
export function checkOutDir(dir: string, flag = '--out'): void {
  const absolute = resolve(dir);
  let existing = absolute;
  while (!existsSync(existing)) existing = dirname(existing);
  const real = realpathSync(existing);
  for (const root of PSEUDO_ROOTS) {
    if (under(absolute, root) || under(real, root)) {
      throw new UsageError(
        `${flag} ${dir} is under ${root}, a pseudo file system where runs cannot be written; choose a directory on a disk`,
      );
    }
  }
  const fs = PSEUDO_FS.get(Number(statfsSync(real).type));
  if (fs !== undefined)
    throw new UsageError(`${flag} ${dir} is on ${fs}, a pseudo file system where runs cannot be written; choose a directory on a disk`);
  if (!statSync(real).isDirectory()) {
    const what = existing === absolute ? `${dir} is a file, not a directory` : `${existing} is a file, so ${dir} cannot be created`;
    throw new UsageError(`${flag}: ${what}`);
  }
  try {
    accessSync(real, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EACCES';
    throw new UsageError(`${flag} ${dir}: ${existing === absolute ? 'it' : existing} is not writable (${code})`);
  }
}
