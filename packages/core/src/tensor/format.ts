/**
 * Tensors printed as PyTorch prints them (torch/_tensor_str.py): one formatter for the whole
 * tensor — integers with a trailing '.', fixed point with `precision` decimals, or scientific when
 * the nonzero magnitudes span more than 1000× or leave [1e-4, 1e8] — every element right-aligned
 * to one width, rows wrapped at `linewidth`, and past `threshold` elements only `edgeitems` at
 * each end of every dim, with '...' between.
 */
import { formatValue } from '../util/format-value.js';
import { isFloating } from '../dtype.js';
import { checkOptions } from '../util/options.js';
import type { Tensor } from './tensor.js';

/** How tensors print; see `setPrintOptions`. */
export interface PrintOptions {
  /** Digits after the decimal point (default 4). */
  precision: number;
  /** Tensors with more elements than this are summarised (default 1000). */
  threshold: number;
  /** Elements shown at each end of a summarised dim (default 3). */
  edgeitems: number;
  /** Characters per line before wrapping (default 80). */
  linewidth: number;
  /** Force scientific notation on (true) or off (false); null decides per tensor (default). */
  sciMode: boolean | null;
}

const DEFAULTS: Readonly<PrintOptions> = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: null };
const printOptions: PrintOptions = { ...DEFAULTS };

/**
 * Changes how tensors print, as `torch.set_printoptions` (camelCase keys; omitted keys keep their
 * value; `profile: 'default'` restores every default first).
 * @param options - any of {@link PrintOptions}' fields (non-negative integers, `sciMode` a
 *   boolean or null) and `profile: 'default'`; unknown keys throw. The setting is global
 */
export function setPrintOptions(options: Partial<PrintOptions> & { profile?: 'default' }): void {
  checkOptions('setPrintOptions', options, ['precision', 'threshold', 'edgeitems', 'linewidth', 'sciMode', 'profile']);
  const { profile, ...rest } = options;
  if (profile !== undefined && profile !== 'default')
    throw new RangeError(`setPrintOptions: profile must be 'default', got ${formatValue(profile)}`);
  for (const key of ['precision', 'threshold', 'edgeitems', 'linewidth'] as const) {
    const v = rest[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 0))
      throw new RangeError(`setPrintOptions: ${key} must be a non-negative integer, got ${formatValue(v)}`);
  }
  if (profile === 'default') Object.assign(printOptions, DEFAULTS);
  Object.assign(printOptions, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
}

/** The current print options (a copy). */
export function getPrintOptions(): PrintOptions {
  return { ...printOptions };
}

/** Python's '{:.Ne}': at least two exponent digits ('1.0000e+05', not '1.0000e+5'). */
function exponential(v: number, digits: number): string {
  return v.toExponential(digits).replace(/e([+-])(\d)$/, 'e$10$2');
}

function special(v: number): string | null {
  if (v !== v) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return null;
}

/** One formatter per tensor, chosen from the values shown, as PyTorch's `_Formatter`. */
class Formatter {
  private intMode = true;
  private sciMode = false;
  private maxWidth = 1;

  constructor(
    private readonly kind: 'float' | 'int' | 'bool',
    values: readonly number[],
    private readonly precision: number,
    sciMode: boolean | null,
  ) {
    if (kind !== 'float') {
      for (const v of values) this.maxWidth = Math.max(this.maxWidth, this.plain(v).length);
      return;
    }
    const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
    if (finite.length > 0) {
      const abs = finite.map(Math.abs);
      const lo = Math.min(...abs);
      const hi = Math.max(...abs);
      this.intMode = finite.every((v) => v === Math.ceil(v));
      this.sciMode = hi / lo > 1000 || hi > 1e8 || (!this.intMode && lo < 1e-4);
      for (const v of finite) {
        const text = this.sciMode ? exponential(v, precision) : this.intMode ? `${v.toFixed(0)}.` : v.toFixed(precision);
        this.maxWidth = Math.max(this.maxWidth, text.length);
      }
    }
    if (sciMode !== null) this.sciMode = sciMode;
  }

  private plain(v: number): string {
    return this.kind === 'bool' ? (v ? 'True' : 'False') : String(v);
  }

  get width(): number {
    return this.maxWidth;
  }

  format(v: number): string {
    let text: string;
    if (this.kind !== 'float') text = this.plain(v);
    else
      text = special(v) ?? (this.sciMode ? exponential(v, this.precision) : this.intMode ? `${v.toFixed(0)}.` : v.toFixed(this.precision));
    return text.padStart(this.maxWidth);
  }
}

/** The indices shown along a dim of `size`: all, or the edges with null for '...'. */
function shown(size: number, summarize: boolean, edge: number): (number | null)[] {
  const all = Array.from({ length: size }, (_, i) => i);
  if (!summarize || size <= 2 * edge) return all;
  return [...all.slice(0, edge), null, ...all.slice(size - edge)];
}

/** The elements shown, by storage offset (so a summarised tensor reads only its edges). */
function shownValues(t: Tensor, summarize: boolean, edge: number): number[] {
  const src = t.storage.array();
  const out: number[] = [];
  const visit = (dim: number, offset: number): void => {
    if (dim === t.ndim) {
      out.push(src[offset]!);
      return;
    }
    for (const i of shown(t.shape[dim]!, summarize, edge)) if (i !== null) visit(dim + 1, offset + i * t.strides[dim]!);
  };
  visit(0, t.offset);
  return out;
}

function body(t: Tensor, f: Formatter, indent: number, summarize: boolean, o: PrintOptions): string {
  const src = t.storage.array();
  const visit = (dim: number, offset: number, indent: number): string => {
    const indices = shown(t.shape[dim]!, summarize, o.edgeitems);
    if (dim === t.ndim - 1) {
      const items = indices.map((i) => (i === null ? ' ...' : f.format(src[offset + i * t.strides[dim]!]!)));
      const perLine = Math.max(1, Math.floor((o.linewidth - indent) / (f.width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
      return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
    }
    const slices = indices.map((i) => (i === null ? '...' : visit(dim + 1, offset + i * t.strides[dim]!, indent + 1)));
    return `[${slices.join(`,${'\n'.repeat(t.ndim - dim - 1)}${' '.repeat(indent + 1)}`)}]`;
  };
  return visit(0, t.offset, indent);
}

/** `tensor(…)` followed by the suffixes, wrapped as PyTorch's `_add_suffixes`. */
function withSuffixes(text: string, suffixes: readonly string[], indent: number, linewidth: number): string {
  let out = text;
  let lastLine = text.length - text.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLine + suffix.length + 2 > linewidth) {
      out += `,\n${' '.repeat(indent)}${suffix}`;
      lastLine = indent + suffix.length;
    } else {
      out += `, ${suffix}`;
      lastLine += suffix.length + 2;
    }
  }
  return `${out})`;
}

/** The name PyTorch's repr gives an op's backward node: 'mul' → 'MulBackward'. */
export function gradFnName(name: string): string {
  return `${name.charAt(0).toUpperCase()}${name.slice(1)}Backward`;
}

/**
 * The tensor as PyTorch prints it: `tensor([1.5000, 2.0000], dtype=float64, grad_fn=<MulBackward>)`.
 * The dtype is noted unless float32 or bool; a leaf that requires grad notes `requires_grad=True`.
 */
export function formatTensor(t: Tensor, options: PrintOptions = printOptions): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const summarize = t.numel > options.threshold;
  const kind = isFloating(t.dtype) ? 'float' : t.dtype === 'bool' ? 'bool' : 'int';
  const suffixes: string[] = [];
  let text: string;
  if (t.numel === 0) {
    text = '[]';
    if (t.ndim !== 1) suffixes.push(`size=(${t.shape.join(', ')})`);
  } else {
    const f = new Formatter(kind, shownValues(t, summarize, options.edgeitems), options.precision, options.sciMode);
    text = t.ndim === 0 ? f.format(t.storage.array()[t.offset]!).trim() : body(t, f, indent, summarize, options);
  }
  if (t.dtype !== 'float32' && t.dtype !== 'bool') suffixes.push(`dtype=${t.dtype}`);
  if (t.gradFn) suffixes.push(`grad_fn=<${gradFnName(t.gradFn.name)}>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');
  return withSuffixes(prefix + text, suffixes, indent, options.linewidth);
}
