/** Number formatting shared by the Markdown table and the console summary. */

/** A figure to three significant digits or so, without exponent: 12345, 123, 12.3, 1.23, 0.0123. */
export function formatFigure(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toString();
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs === 0) return '0';
  return value.toPrecision(3);
}

/** An efficiency as a percentage: 0.934 → '93%'. */
export function formatPercent(value: number): string {
  return `${Math.round(value * 100)}%`;
}
