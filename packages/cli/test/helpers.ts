import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built command, as installed: `node dist/bin/loom.js`. */
export const LOOM_BIN = fileURLToPath(new URL('../dist/bin/loom.js', import.meta.url));

/** What a finished `loom` process left. */
export interface LoomResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A JSON Lines event. */
export type LoomEvent = { event: string } & Record<string, unknown>;

/** Options of a spawned `loom`. */
export interface SpawnOptions {
  cwd?: string;
  /** The session directory: its `cache/` becomes LOOM_CACHE_DIR. */
  sessionDir: string;
  env?: Record<string, string>;
  /** Leave the output format alone (default: `--json` is added, so that stdout is JSON Lines to parse). */
  text?: boolean;
}

/** Whether `--json` can be added to these arguments: a command that prints events, not help. */
function wantsJsonFlag(args: string[], options: SpawnOptions): boolean {
  return options.text !== true && args.length > 0 && !args.some((a) => a === '--help' || a === '--version' || a === '--format');
}

/** Starts `loom ARGS` with stdout and stderr piped (so not a terminal); `--json` is added unless `options.text`. */
export function spawnLoom(args: string[], options: SpawnOptions): ChildProcess {
  return spawn(process.execPath, [LOOM_BIN, ...args, ...(wantsJsonFlag(args, options) ? ['--json'] : [])], {
    cwd: options.cwd ?? options.sessionDir,
    env: { ...process.env, LOOM_CACHE_DIR: join(options.sessionDir, 'cache'), LOOM_DEBUG: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Collects a spawned process's output until it exits. */
export function finished(child: ChildProcess): Promise<LoomResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs `loom ARGS` to the end. */
export function runLoom(args: string[], options: SpawnOptions): Promise<LoomResult> {
  return finished(spawnLoom(args, options));
}

/** Parses stdout as JSON Lines; throws on any line that is not one JSON object with an `event`. */
export function events(stdout: string): LoomEvent[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line, i) => {
      const value = JSON.parse(line) as unknown;
      if (value === null || typeof value !== 'object' || typeof (value as LoomEvent).event !== 'string') {
        throw new Error(`stdout line ${i + 1} is not an event object: ${line}`);
      }
      return value as LoomEvent;
    });
}

/** The events of one kind. */
export function eventsOf(stdout: string, kind: string): LoomEvent[] {
  return events(stdout).filter((e) => e.event === kind);
}

/** A new empty directory inside the session directory. */
export function freshDir(sessionDir: string, prefix: string): string {
  return mkdtempSync(join(sessionDir, `${prefix}-`));
}
