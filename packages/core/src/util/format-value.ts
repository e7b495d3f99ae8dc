/**
 * The one way Loom's error messages show a value the caller gave: short, typed and unambiguous
 * (`${value}` prints an options object as "[object Object]" and a string "1" like the number 1).
 */

const MAX_ITEMS = 4;
const MAX_STRING = 40;

/**
 * A value as an error message shows it: numbers and booleans as written (`-1`, `NaN`, `true`),
 * `the string "0.5"`, `an array [1, 2]`, `an object { p: 0.5 }`, `a Tensor`, `a function f`,
 * `null`, `undefined`.
 * @param value - anything a caller passed; arrays and objects show their first few entries, strings their first 40 characters
 */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array ${brief(value)}`;
  if (typeof value === 'string') return `the string ${brief(value)}`;
  if (typeof value === 'function') return value.name === '' ? 'a function' : `a function ${value.name}`;
  if (typeof value !== 'object') return brief(value);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return `an object ${brief(value)}`;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}` : 'an object';
}

/** A value written as in source code, nested arrays and objects cut short. */
function brief(value: unknown, depth = 0): string {
  if (typeof value === 'string') return JSON.stringify(value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value !== 'object' || value === null) return typeof value === 'function' ? 'function' : String(value);
  const proto: unknown = Object.getPrototypeOf(value);
  const plain = Array.isArray(value) || proto === Object.prototype || proto === null;
  if (!plain) return formatValue(value);
  if (depth > 0) return Array.isArray(value) ? '[…]' : '{…}';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => brief(v, depth + 1));
    return `[${items.join(', ')}${value.length > MAX_ITEMS ? ', …' : ''}]`;
  }
  const keys = Object.keys(value);
  const entries = keys.slice(0, MAX_ITEMS).map((k) => `${k}: ${brief((value as Record<string, unknown>)[k], depth + 1)}`);
  if (entries.length === 0) return '{}';
  return `{ ${entries.join(', ')}${keys.length > MAX_ITEMS ? ', …' : ''} }`;
}
