import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { camelCase, suggestKey } from '@loom/core';
import type { JsonValue, NamedConfig, PartialTrainConfig, SchedulerConfig } from './config.js';
import { UsageError } from './errors.js';
import { configKeys, kindProblem, SETTINGS } from './settings.js';

/** The keys of a `{ "name", "options" }` entry (and a scheduler's extra ones), from the settings table. */
function namedKeys(top: string): string[] {
  return [...new Set(SETTINGS.flatMap((s) => (s.path && s.path[0] === top && s.path.length > 1 ? [s.path[1]!] : [])))];
}

/**
 * Reads a `loom.json` config file: the keys of a run's `config.json` (so a saved config can be
 * reused), any subset of them, strictly: an unknown key is refused with the nearest known one, a
 * value of the wrong type names its key. A UTF-8 byte-order mark is skipped. Relative paths in
 * it are relative to the file's directory.
 * @param path - the config file's path, absolute or relative to the working directory; a missing file, invalid JSON
 *   or a non-object throws a UsageError
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
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`config file ${path} must hold a JSON object`);
  }
  const keys = configKeys();
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const where = `config file ${path}: '${key}'`;
    if (!keys.includes(key)) throw unknownKey(`config file ${path}: unknown key '${key}'`, key, keys);
    if (value === null) {
      config[key] = null;
      continue;
    }
    const plain = SETTINGS.find((s) => s.path?.length === 1 && s.path[0] === key);
    if (plain) {
      const problem = kindProblem(plain, plain.kind === 'names' && typeof value === 'string' ? value.split(',') : value);
      if (problem !== null) throw new UsageError(`${where} ${problem}`);
      config[key] = plain.resolve
        ? plain.resolve(value as string, dirname(path))
        : plain.kind === 'names' && typeof value === 'string'
          ? value.split(',').map((c) => c.trim())
          : value;
    } else {
      config[key] = named(value, where, key);
    }
  }
  return config as PartialTrainConfig;
}

function unknownKey(message: string, key: string, known: readonly string[]): UsageError {
  const hint = suggestKey(key, known);
  // An option of the optimizer (or loss, scheduler) written at the top level: say where it goes.
  const nested = SETTINGS.find((s) => s.path && s.path.length === 3 && s.path[2] === camelCase(key));
  const where = nested ? ` (did you mean { "${nested.path![0]}": { "options": { "${nested.path![2]}": … } } }?)` : '';
  return new UsageError(`${message}${hint !== undefined ? ` (did you mean '${hint}'?)` : where}; the keys are ${known.join(', ')}`);
}

/** A loss, optimizer or scheduler entry: a name, or `{ "name", "options", … }` with its keys and choices from the table. */
function named(value: unknown, where: string, top: string): Partial<NamedConfig> | Partial<SchedulerConfig> {
  if (typeof value === 'string') return { name: value };
  if (typeof value !== 'object' || Array.isArray(value) || value === null) {
    throw new UsageError(`${where} must be a name or { "name", "options" }, got ${JSON.stringify(value)}`);
  }
  const keys = namedKeys(top);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (!keys.includes(key)) throw unknownKey(`${where} has unknown key '${key}'`, key, keys);
    const setting = SETTINGS.find((s) => s.path?.length === 2 && s.path[0] === top && s.path[1] === key)!;
    const problem = kindProblem(setting, v);
    if (problem !== null) throw new UsageError(`${where}.${key} ${problem}`);
    out[key] = key === 'options' ? { ...(v as Record<string, JsonValue>) } : v;
  }
  return out;
}

/** Splits a comma-separated list, trimming blanks. */
export function splitList(text: string): string[] {
  return text.split(',').map((s) => s.trim());
}
