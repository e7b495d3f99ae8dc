import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JsonValue, NamedConfig, PartialTrainConfig, SchedulerConfig } from './config.js';
import { UsageError } from './errors.js';
import { resolveModelPath } from './model-spec.js';
import { resolvePath } from './paths.js';

type Check = (value: unknown, where: string) => unknown;

const string: Check = (v, where) => (typeof v === 'string' ? v : fail(where, 'a string', v));
const number: Check = (v, where) => (typeof v === 'number' && Number.isFinite(v) ? v : fail(where, 'a number', v));
const nullable = (check: Check): Check => (v, where) => (v === null ? null : check(v, where));
const numbers: Check = (v, where) =>
  Array.isArray(v) ? v.map((x, i) => number(x, `${where}[${i}]`)) : fail(where, 'a list of numbers', v);
const columns: Check = (v, where) =>
  typeof v === 'string' ? splitList(v) : Array.isArray(v) ? v.map((x, i) => string(x, `${where}[${i}]`)) : fail(where, 'a list of column names', v);

const KEYS: Record<string, Check> = {
  data: nullable(string),
  features: nullable(columns),
  target: string,
  model: string,
  inputShape: nullable(numbers),
  loss: (v, where) => named(v, where),
  optimizer: (v, where) => named(v, where),
  scheduler: nullable(scheduler),
  epochs: number,
  batchSize: number,
  microBatch: number,
  workers: number,
  seed: number,
  valSplit: number,
  l1: number,
  l2: number,
  clipGradNorm: nullable(number),
};

/**
 * Reads a `loom.json` config file: the keys of a run's `config.json` (so a saved config can be
 * reused), any subset of them. Relative paths in it are relative to the file's directory.
 */
export function readConfigFile(path: string): PartialTrainConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`config file ${path} must hold a JSON object`);
  }
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const check = KEYS[key];
    if (!check) throw new UsageError(`config file ${path}: unknown key '${key}'; the keys are ${Object.keys(KEYS).join(', ')}`);
    config[key] = check(value, `config file ${path}: '${key}'`);
  }
  const base = dirname(path);
  if (typeof config.data === 'string') config.data = resolvePath(config.data, base);
  if (typeof config.model === 'string') config.model = resolveModelPath(config.model, base);
  return config as PartialTrainConfig;
}

function named(value: unknown, where: string, allowed: readonly string[] = []): Partial<NamedConfig> {
  if (typeof value === 'string') return { name: value };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail(where, 'a name or { "name", "options" }', value);
  const { name, options, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest).filter((k) => !allowed.includes(k));
  if (extra.length > 0) {
    throw new UsageError(`${where} has unknown key '${extra[0]}'; expected ${['name', 'options', ...allowed].join(', ')}`);
  }
  const out: Partial<NamedConfig> = {};
  if (name !== undefined) out.name = string(name, `${where}.name`) as string;
  if (options !== undefined) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) fail(`${where}.options`, 'an object', options);
    out.options = options as Record<string, JsonValue>;
  }
  return out;
}

function scheduler(value: unknown, where: string): Partial<SchedulerConfig> {
  const out: Partial<SchedulerConfig> = named(value, where, ['interval']);
  const interval = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).interval : undefined;
  if (interval !== undefined) {
    if (interval !== 'epoch' && interval !== 'step') fail(`${where}.interval`, "'epoch' or 'step'", interval);
    out.interval = interval as 'epoch' | 'step';
  }
  return out;
}

/** Splits a comma-separated list, trimming blanks. */
export function splitList(text: string): string[] {
  return text.split(',').map((s) => s.trim());
}

function fail(where: string, expected: string, got: unknown): never {
  throw new UsageError(`${where} must be ${expected}, got ${JSON.stringify(got)}`);
}
