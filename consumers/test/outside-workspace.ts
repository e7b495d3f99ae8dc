import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The repository root, where `pnpm -r pack` runs. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The files of the consumer project (sources and tsconfig), copied into the temporary project. */
const PROJECT_TEMPLATE = fileURLToPath(new URL('../project', import.meta.url));

/** The published packages, by folder under packages/. */
export const PACKAGES = ['core', 'losses', 'optim', 'parallel', 'cli'] as const;

/** What a finished command printed. */
export interface Output {
  stdout: string;
  stderr: string;
}

/**
 * The environment of a child process without what `pnpm run` adds (its user agent and script
 * variables), so that npm behaves as it would in a shell outside the workspace.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_(config_user_agent|lifecycle_|package_|execpath|node_execpath|command)|pnpm_|PNPM_)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs a command to the end; a non-zero exit rejects with its stdout and stderr in the message. */
export async function exec(file: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Output> {
  try {
    const { stdout, stderr } = await execFileAsync(file, args, { cwd, env: cleanEnv(env), maxBuffer: 64 << 20, timeout: 180_000 });
    return { stdout, stderr };
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(
      `${file} ${args.join(' ')} (in ${cwd}) failed: ${e.message}\n--- stdout\n${e.stdout ?? ''}\n--- stderr\n${e.stderr ?? ''}`,
      { cause: error },
    );
  }
}

/** A temporary project with every package installed from its tarball by npm. */
export interface ConsumerProject {
  root: string;
  project: string;
  tarballs: string[];
}

/**
 * Packs every package with pnpm (which turns `workspace:*` into versions), then, in a new
 * folder outside the workspace, `npm init` and `npm install` of the tarballs with TypeScript
 * and Node's types. Third-party dependencies come from the registry (or npm's cache).
 */
export async function createConsumerProject(): Promise<ConsumerProject> {
  const root = mkdtempSync(join(tmpdir(), 'loom-consumers-'));
  const packs = join(root, 'tarballs');
  const project = join(root, 'project');
  mkdirSync(packs);
  mkdirSync(project);
  await exec('pnpm', ['-r', '--filter', './packages/*', 'pack', '--pack-destination', packs], REPO_ROOT);
  const tarballs = readdirSync(packs)
    .filter((f) => f.endsWith('.tgz'))
    .map((f) => join(packs, f));
  await exec('npm', ['init', '-y'], project);
  await exec('npm', ['pkg', 'set', 'type=module'], project);
  cpSync(PROJECT_TEMPLATE, project, { recursive: true });
  await exec(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs, 'typescript@5.9.3', '@types/node@^20.19.0'],
    project,
  );
  return { root, project, tarballs };
}
