import { InvalidArgumentError } from 'commander';
import { splitList } from './config-file.js';

/** A finite number (negative ones too: their range is checked with the rest of the config, with PyTorch's messages). */
export function parseNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number.');
  return n;
}

/** An integer. */
export function parseInteger(value: string): number {
  const n = parseNumber(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected an integer.');
  return n;
}

/** Comma-separated numbers, e.g. `0.9,0.999`. */
export function parseNumberList(value: string): number[] {
  return splitList(value).map((item) => {
    const n = Number(item);
    if (item === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected numbers separated by commas.');
    return n;
  });
}

/** Comma-separated names, e.g. `x1,x2,x3`. */
export function parseNames(value: string): string[] {
  return splitList(value);
}

/** A JSON object, e.g. `'{"labelSmoothing":0.1}'`. */
export function parseJsonObject(value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new InvalidArgumentError('expected a JSON object, e.g. \'{"key":1}\'.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidArgumentError('expected a JSON object.');
  return parsed as Record<string, unknown>;
}
