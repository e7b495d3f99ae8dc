/**
 * Python's spelling of values in module reprs, so `String(model)` reads as PyTorch's
 * `print(model)`: `True`, `None`, tuples `(3, 3)`, floats as Python's `repr` (`0.5`, `1e-05`).
 */

/** A float as Python's `repr`: shortest round-trip digits, scientific below 1e-4 and from 1e16. */
export function pyFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  const e = Number(exponent);
  if (e >= -4 && e < 16) return Number.isInteger(value) ? `${value.toFixed(0)}.0` : String(value);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** An int, bool, string, null or tuple as Python's `repr` would write it. */
export function pyRepr(value: number | boolean | string | null | readonly number[]): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pyFloat(value);
  return value.length === 1 ? `(${value[0]},)` : `(${value.join(', ')})`;
}

/** Indents every line after the first, as PyTorch's `_addindent`. */
export function addIndent(text: string, spaces: number): string {
  return text.split('\n').join(`\n${' '.repeat(spaces)}`);
}
