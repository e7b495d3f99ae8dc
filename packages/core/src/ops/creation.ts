import { formatValue } from '../util/format-value.js';
import { fillData } from './fill.js';
import { assertDType, type DType, isFloating, storedValue } from '../dtype.js';
import { checkFlag, checkNumber, checkOptions, optionKeys } from '../util/options.js';
import { checkGenerator, defaultGenerator, type Generator } from '../random/generator.js';
import { checkShape, formatShape, numel, type Shape } from '../tensor/shape.js';
import { Tensor, type NestedArray } from '../tensor/tensor.js';

/** Options of tensor-creating functions. */
export interface CreateOptions {
  /** Element type of the new tensor; each function names its default (mostly float32). */
  dtype?: DType;
  /** Whether autograd records ops on the new tensor (default false); floating dtypes only, else a TypeError. */
  requiresGrad?: boolean;
}

/** Options of random tensor-creating functions. */
export interface RandomOptions extends CreateOptions {
  /** The random stream to draw from (default: `defaultGenerator`, seeded by `manualSeed`). */
  generator?: Generator;
}

const CREATE_OPTIONS = optionKeys<CreateOptions>({ dtype: true, requiresGrad: true });
const RANDOM_OPTIONS = optionKeys<RandomOptions>({ dtype: true, requiresGrad: true, generator: true });
const TENSOR_OPTIONS = optionKeys<CreateOptions & { shape?: Shape }>({ dtype: true, requiresGrad: true, shape: true });

function finish(t: Tensor, options: CreateOptions | undefined, op: string): Tensor {
  if (checkFlag(op, 'requiresGrad', options?.requiresGrad)) {
    if (!isFloating(t.dtype)) throw new TypeError(`${op}: only floating-point tensors can require gradients (dtype ${t.dtype})`);
    t.requiresGrad = true;
  }
  return t;
}

/** The dtype asked for (after checking every option's name against `known`), else `fallback`. */
function dtypeOf(
  options: CreateOptions | undefined,
  op: string,
  fallback: DType = 'float32',
  known: readonly string[] = CREATE_OPTIONS,
): DType {
  checkOptions(op, options, known);
  const dtype = options?.dtype ?? fallback;
  assertDType(dtype, op);
  return dtype;
}

/** `dtype` unless it is bool: a range or permutation has no bool form, and PyTorch refuses it too. */
function notBool(dtype: DType, op: string): DType {
  if (dtype === 'bool')
    throw new TypeError(`${op}: dtype bool is not supported (as in PyTorch); create int32 values and compare them, e.g. .ne(0)`);
  return dtype;
}

function inferShape(data: NestedArray, op: string): number[] {
  const shape: number[] = [];
  let level: NestedArray = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0]!;
  }
  const check = (node: NestedArray, dim: number): void => {
    if (dim === shape.length) {
      if (Array.isArray(node)) throw new TypeError(`${op}: ragged nested array (expected shape ${formatShape(shape)})`);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[dim]) {
      throw new TypeError(`${op}: ragged nested array (expected shape ${formatShape(shape)})`);
    }
    for (const child of node) check(child, dim + 1);
  };
  check(data, 0);
  return shape;
}

/**
 * A tensor from nested arrays, a number, or a typed array (with `shape` for more than 1-D).
 * Numbers default to float32, booleans to bool, typed arrays to their own dtype.
 * @param data - a number (0-d), nested arrays of numbers or booleans (the nesting gives the
 *   shape; ragged arrays throw), or a typed array (copied; 1-D unless `options.shape` is given)
 * @param options - `dtype`, `requiresGrad` (see {@link CreateOptions}) and `shape`, which
 *   reshapes the data and must hold exactly as many elements; unknown keys throw
 */
export function tensor(
  data: NestedArray | Float32Array | Float64Array | Int32Array | Uint8Array,
  options: CreateOptions & { shape?: Shape } = {},
): Tensor {
  checkOptions('tensor', options, TENSOR_OPTIONS);
  let flat: ArrayLike<number | boolean>;
  let shape: number[];
  let fallback: DType = 'float32';
  if (ArrayBuffer.isView(data)) {
    flat = data;
    shape = options.shape ? [...options.shape] : [data.length];
    fallback =
      data instanceof Float64Array ? 'float64' : data instanceof Int32Array ? 'int32' : data instanceof Uint8Array ? 'bool' : 'float32';
  } else {
    shape = inferShape(data, 'tensor');
    flat = Array.isArray(data) ? flattenNested(data) : [data];
    if (flat.length > 0 && typeof flat[0] === 'boolean') fallback = 'bool';
    if (options.shape) shape = [...options.shape];
  }
  checkShape(shape, 'tensor');
  if (numel(shape) !== flat.length) {
    throw new RangeError(`tensor: shape ${formatShape(shape)} needs ${numel(shape)} values, got ${flat.length}`);
  }
  const dtype = dtypeOf(options, 'tensor', fallback, TENSOR_OPTIONS);
  const t = Tensor.empty(shape, dtype);
  const out = t.data();
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i]!;
    if (typeof v !== 'number' && typeof v !== 'boolean') throw new TypeError(`tensor: element ${i} is not a number (${formatValue(v)})`);
    out[i] = storedValue(dtype, Number(v));
  }
  return finish(t, options, 'tensor');
}

/**
 * An uninitialised tensor.
 * @param shape - sizes of the dims, non-negative integers (`[]` for a 0-d tensor)
 * @param options - `dtype` (default float32) and `requiresGrad`, see {@link CreateOptions}
 */
export function empty(shape: Shape, options?: CreateOptions): Tensor {
  checkShape(shape, 'empty');
  return finish(Tensor.empty(shape, dtypeOf(options, 'empty')), options, 'empty');
}

/** A tensor of `shape` filled with `value`, in the dtype asked for or `fallback`; `op` names it in errors. */
function filled(op: string, shape: Shape, value: number, options: CreateOptions | undefined, fallback?: DType): Tensor {
  checkShape(shape, op);
  // A string, null or object would be coerced by the typed array ('1' as 1, null as 0) or become NaN.
  if (typeof value !== 'number') throw new TypeError(`${op}: fill value must be a number, got ${formatValue(value)}`);
  const t = Tensor.empty(shape, dtypeOf(options, op, fallback));
  fillData(t.data(), t.dtype, storedValue(t.dtype, value));
  return finish(t, options, op);
}

/**
 * A tensor of the given shape filled with `value`.
 * @param shape - sizes of the dims, non-negative integers (`[]` for a 0-d tensor)
 * @param value - the fill value, stored as the dtype stores it (truncated for int32; for bool,
 *   true when non-zero, NaN included)
 * @param options - `dtype` (default float32) and `requiresGrad`, see {@link CreateOptions}
 */
export function full(shape: Shape, value: number, options?: CreateOptions): Tensor {
  return filled('full', shape, value, options);
}

/**
 * A tensor of zeros.
 * @param shape - sizes of the dims, non-negative integers (`[]` for a 0-d tensor)
 * @param options - `dtype` (default float32) and `requiresGrad`, see {@link CreateOptions}
 */
export function zeros(shape: Shape, options?: CreateOptions): Tensor {
  return filled('zeros', shape, 0, options);
}

/**
 * A tensor of ones.
 * @param shape - sizes of the dims, non-negative integers (`[]` for a 0-d tensor)
 * @param options - `dtype` (default float32) and `requiresGrad`, see {@link CreateOptions}
 */
export function ones(shape: Shape, options?: CreateOptions): Tensor {
  return filled('ones', shape, 1, options);
}

/**
 * Zeros with the shape (and, unless given, the dtype) of `t`.
 * @param t - the tensor whose shape and dtype are copied (its values are not read)
 * @param options - `dtype` (default `t.dtype`) and `requiresGrad`, see {@link CreateOptions}
 */
export function zerosLike(t: Tensor, options?: CreateOptions): Tensor {
  return filled('zerosLike', t.shape, 0, options, t.dtype);
}

/**
 * Ones with the shape (and, unless given, the dtype) of `t`.
 * @param t - the tensor whose shape and dtype are copied (its values are not read)
 * @param options - `dtype` (default `t.dtype`) and `requiresGrad`, see {@link CreateOptions}
 */
export function onesLike(t: Tensor, options?: CreateOptions): Tensor {
  return filled('onesLike', t.shape, 1, options, t.dtype);
}

/**
 * `value` everywhere, with the shape (and, unless given, the dtype) of `t`.
 * @param t - the tensor whose shape and dtype are copied (its values are not read)
 * @param value - the fill value, stored as the dtype stores it (truncated for int32; for bool,
 *   true when non-zero, NaN included)
 * @param options - `dtype` (default `t.dtype`) and `requiresGrad`, see {@link CreateOptions}
 */
export function fullLike(t: Tensor, value: number, options?: CreateOptions): Tensor {
  return filled('fullLike', t.shape, value, options, t.dtype);
}

/**
 * Values from `start` to `end` (exclusive) by `step`, as `torch.arange`: ⌈(end − start)/step⌉
 * values (none when that is ≤ 0).
 * @param start - the first value; with `end` absent, the end instead and the start is 0 (`arange(5)`).
 * @param end - the exclusive bound.
 * @param step - the difference between neighbours (default 1), negative to count down; 0 throws.
 * @param options - dtype (default 'float32', even for integer arguments; bool throws) and
 *   requiresGrad, see {@link CreateOptions}; unknown keys throw.
 */
export function arange(start: number, end?: number, step = 1, options?: CreateOptions): Tensor {
  if (end === undefined) [start, end] = [0, start];
  checkNumber('arange', 'start', start);
  checkNumber('arange', 'end', end);
  checkNumber('arange', 'step', step);
  if (step === 0) throw new RangeError('arange: step must be nonzero');
  const n = Math.max(0, Math.ceil((end - start) / step));
  const t = Tensor.empty([n], notBool(dtypeOf(options, 'arange'), 'arange'));
  const out = t.data();
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  return finish(t, options, 'arange');
}

/**
 * `steps` values evenly spaced from `start` to `end`, both included, as `torch.linspace`: the
 * first half counts up from `start` and the second half down from `end`, as PyTorch's kernel
 * does, so both ends are exact (one step gives `start`).
 * @param start - the first value
 * @param end - the last value (included when `steps` ≥ 2; it may be below `start`)
 * @param steps - the number of values, a non-negative integer (0 gives an empty tensor)
 * @param options - `dtype` (default float32; bool throws) and `requiresGrad`, see {@link CreateOptions}
 */
export function linspace(start: number, end: number, steps: number, options?: CreateOptions): Tensor {
  if (!Number.isInteger(steps) || steps < 0)
    throw new RangeError(`linspace: number of steps must be a non-negative integer, got ${formatValue(steps)}`);
  checkNumber('linspace', 'start', start);
  checkNumber('linspace', 'end', end);
  const t = Tensor.empty([steps], notBool(dtypeOf(options, 'linspace'), 'linspace'));
  const out = t.data();
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) out[i] = i < half ? start + step * i : end - step * (steps - 1 - i);
  if (steps === 1) out[0] = start;
  return finish(t, options, 'linspace');
}

/**
 * The n×m identity matrix: ones on the main diagonal, zeros elsewhere.
 * @param n - the number of rows, a non-negative integer
 * @param m - the number of columns (default `n`, a square matrix)
 * @param options - `dtype` (default float32) and `requiresGrad`, see {@link CreateOptions}
 */
export function eye(n: number, m = n, options?: CreateOptions): Tensor {
  for (const [name, size] of [
    ['n', n],
    ['m', m],
  ] as const) {
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`eye: ${name} must be a non-negative integer, got ${formatValue(size)}`);
  }
  const t = zeros([n, m], options);
  const out = t.data();
  for (let i = 0; i < Math.min(n, m); i++) out[i * m + i] = 1;
  return t;
}

/** The generator to draw from: the one given (which must be a Loom `Generator`), else the default. */
function generatorOf(options: RandomOptions | undefined, op: string): Generator {
  const g: unknown = options?.generator;
  if (g === undefined) return defaultGenerator;
  return checkGenerator(op, g);
}

function floatDType(options: RandomOptions | undefined, op: string): DType {
  const dtype = dtypeOf(options, op, 'float32', RANDOM_OPTIONS);
  if (!isFloating(dtype)) throw new TypeError(`${op}: dtype must be float32 or float64, got ${dtype}`);
  return dtype;
}

/**
 * Uniform samples in [0, 1).
 * @param shape - sizes of the dims, non-negative integers (`[]` for a 0-d tensor)
 * @param options - `dtype` (float32 or float64, default float32), `requiresGrad` and
 *   `generator`, see {@link RandomOptions}
 */
export function rand(shape: Shape, options?: RandomOptions): Tensor {
  checkShape(shape, 'rand');
  const t = Tensor.empty(shape, floatDType(options, 'rand'));
  generatorOf(options, 'rand').fillUniform(t.data() as Float32Array | Float64Array);
  return finish(t, options, 'rand');
}

/**
 * Standard normal samples (mean 0, standard deviation 1).
 * @param shape - sizes of the dims, non-negative integers (`[]` for a 0-d tensor)
 * @param options - `dtype` (float32 or float64, default float32), `requiresGrad` and
 *   `generator`, see {@link RandomOptions}
 */
export function randn(shape: Shape, options?: RandomOptions): Tensor {
  checkShape(shape, 'randn');
  const t = Tensor.empty(shape, floatDType(options, 'randn'));
  generatorOf(options, 'randn').fillNormal(t.data() as Float32Array | Float64Array);
  return finish(t, options, 'randn');
}

/**
 * Uniform integers in [low, high); int32 unless another dtype is asked for.
 * @param low - the smallest value that can be drawn (an integer, included)
 * @param high - the bound above the values (an integer, excluded); must be greater than `low`
 * @param shape - sizes of the dims, non-negative integers (`[]` for a 0-d tensor)
 * @param options - `dtype` (default int32; bool only for a range within [0, 2]), `requiresGrad`
 *   and `generator`, see {@link RandomOptions}
 */
export function randint(low: number, high: number, shape: Shape, options?: RandomOptions): Tensor {
  checkShape(shape, 'randint');
  for (const [name, bound] of [
    ['low', low],
    ['high', high],
  ] as const) {
    if (!Number.isInteger(bound)) throw new TypeError(`randint: ${name} must be an integer, got ${formatValue(bound)}`);
  }
  if (!(high > low)) throw new RangeError(`randint: expected low < high, got low=${low}, high=${high}`);
  const t = Tensor.empty(shape, dtypeOf(options, 'randint', 'int32', RANDOM_OPTIONS));
  if (t.dtype === 'bool' && (low < 0 || high > 2)) {
    throw new RangeError(`randint: dtype bool holds only 0 and 1, so low and high must lie in [0, 2], got low=${low}, high=${high}`);
  }
  const g = generatorOf(options, 'randint');
  const out = t.data();
  for (let i = 0; i < out.length; i++) out[i] = low + g.nextBelow(high - low);
  return finish(t, options, 'randint');
}

/**
 * A random permutation of 0..n-1 (int32), by Fisher–Yates.
 * @param n - the number of elements, a non-negative integer (0 gives an empty tensor)
 * @param options - `dtype` (default int32; bool throws), `requiresGrad` and `generator`, see
 *   {@link RandomOptions}
 */
export function randperm(n: number, options?: RandomOptions): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`randperm: n must be a non-negative integer, got ${formatValue(n)}`);
  const t = Tensor.empty([n], notBool(dtypeOf(options, 'randperm', 'int32', RANDOM_OPTIONS), 'randperm'));
  const g = generatorOf(options, 'randperm');
  const out = t.data();
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = g.nextBelow(i + 1);
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
  return finish(t, options, 'randperm');
}

function flattenNested(data: NestedArray[]): (number | boolean)[] {
  const out: (number | boolean)[] = [];
  const walk = (node: NestedArray): void => {
    if (Array.isArray(node)) for (const child of node) walk(child);
    else out.push(node);
  };
  walk(data);
  return out;
}

/**
 * A 0-d tensor holding `value`, of the given dtype.
 * @param value - the element, stored as the dtype stores it (truncated for int32; for bool, true
 *   when non-zero, NaN included)
 * @param dtype - the element type (default float32)
 */
export function scalar(value: number, dtype: DType = 'float32'): Tensor {
  const t = Tensor.empty([], dtype);
  fillData(t.data(), dtype, storedValue(dtype, value));
  return t;
}
