import type { DType, TypedArray } from '../dtype.js';
import type { GradFn } from '../autograd/grad-fn.js';
import { contiguousStrides, formatShape, isRowMajor, numel, type Shape } from './shape.js';
import { formatTensor } from './format.js';
import { Storage } from './storage.js';

/** The most elements `Tensor.toJSON` converts; larger tensors throw (see there). */
export const TO_JSON_MAX_ELEMENTS = 100_000;

/** Nested arrays of numbers or booleans, as `tolist()` returns and `tensor()` accepts. */
export type NestedArray = number | boolean | NestedArray[];

/**
 * An n-dimensional view — shape, strides and an element offset — over a Storage in the shared
 * memory. Views (reshape, transpose, narrow, expand, …) share the storage; ops that compute
 * allocate a new one. Operations are methods (declared in `methods.ts`) and functions.
 */
export class Tensor {
  /** Whether gradients flow to this tensor. */
  requiresGrad = false;
  /** The accumulated gradient of a leaf after `backward()`. */
  grad: Tensor | null = null;
  /**
   * When true, the next gradient `backward()` accumulates into this leaf overwrites the contents
   * of `.grad` instead of adding to them (then it turns false). Trainers that point `.grad` at a
   * reused buffer set it instead of zero-filling the buffer first.
   */
  overwriteGrad = false;
  /** How this tensor was computed, for autograd; null for leaves. */
  gradFn: GradFn | null = null;

  /**
   * A view over `storage`; ops create tensors, code rarely calls this directly.
   * @param storage The memory the elements live in.
   * @param shape The size of each dim.
   * @param strides Elements to step per index of each dim (default: contiguous, row-major).
   * @param offset The storage index of the first element.
   */
  constructor(
    /** The memory the elements live in, shared by every view of it. */
    readonly storage: Storage,
    /** The size of each dim. */
    readonly shape: Shape,
    /** Elements to step in the storage per index of each dim. */
    readonly strides: Shape = contiguousStrides(shape),
    /** The storage index of the first element. */
    readonly offset = 0,
  ) {}

  /**
   * A new contiguous tensor of uninitialised memory.
   * @param shape The size of each dim.
   * @param dtype The element type (default float32).
   */
  static empty(shape: Shape, dtype: DType = 'float32'): Tensor {
    return new Tensor(Storage.allocate(dtype, numel(shape)), [...shape]);
  }

  /**
   * `empty` for a shape array made for the new tensor, which takes it instead of a copy (ops that
   * run every training step build their output's shape anyway).
   * Internal: for ops, whose shape arrays nobody else holds.
   * @internal
   * @param shape - a fresh array of sizes, never changed afterwards
   * @param dtype - the element type
   */
  static emptyOwning(shape: number[], dtype: DType): Tensor {
    return new Tensor(Storage.allocate(dtype, numel(shape)), shape);
  }

  /** The element type: float32, float64, int32 or bool. */
  get dtype(): DType {
    return this.storage.dtype;
  }

  /** The number of dims. */
  get ndim(): number {
    return this.shape.length;
  }

  /** The number of elements. */
  get numel(): number {
    return numel(this.shape);
  }

  /** False for dense tensors; true for the row-sparse gradients of a sparse embedding. */
  get isSparse(): boolean {
    return false;
  }

  /**
   * Frees this tensor's memory now instead of when the garbage collector (or memory pressure)
   * gets to it; every view of the same storage goes with it, and any later access throws.
   * `using t = …` calls it at the end of the block.
   */
  dispose(): void {
    this.storage.dispose();
  }

  /** `dispose()`, under the name `using t = …` calls at the end of its block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Whether the tensor's memory was freed by `dispose()` (or, for a gradient, by `zeroGrad`). */
  get isDisposed(): boolean {
    return this.storage.isDisposed;
  }

  /** Whether this is a leaf of the autograd graph (not computed by a recorded op). */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** The whole shape, as a new array. */
  size(): number[];
  /**
   * The size of one dim.
   * @param dim The dim (negative counts from the end).
   */
  size(dim: number): number;
  size(dim?: number): number | number[] {
    if (dim === undefined) return [...this.shape];
    const d = dim < 0 ? dim + this.ndim : dim;
    const s = this.shape[d];
    if (s === undefined) throw new RangeError(`size: dimension ${dim} out of range for shape ${formatShape(this.shape)}`);
    return s;
  }

  /** Whether the elements lie in row-major order without gaps (then `data()` views them). */
  isContiguous(): boolean {
    return isRowMajor(this.shape, this.strides);
  }

  /**
   * The elements as a typed array over the shared memory, without copying. Only for contiguous
   * tensors (call `contiguous()` first otherwise); writes go to the tensor.
   */
  data(): TypedArray {
    if (!this.isContiguous()) {
      throw new Error(`data: tensor of shape ${formatShape(this.shape)} is not contiguous; call contiguous() first`);
    }
    const all = this.storage.array();
    return this.offset === 0 && this.numel === all.length ? all : all.subarray(this.offset, this.offset + this.numel);
  }

  /** A copy of the elements in row-major order, as a new (non-shared) typed array. */
  toArray(): TypedArray {
    const src = this.storage.array();
    const out = src.constructor === Uint8Array ? new Uint8Array(this.numel) : new (src.constructor as Float64ArrayConstructor)(this.numel);
    forEachOffset(this, (off, i) => {
      out[i] = src[off]!;
    });
    return out;
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.numel !== 1) {
      throw new Error(`item: a tensor with ${this.numel} elements cannot be converted to a number (shape ${formatShape(this.shape)})`);
    }
    return this.storage.array()[this.offset]!;
  }

  /** The elements as nested arrays (booleans for bool tensors). */
  tolist(): NestedArray {
    const flat = Array.from(this.toArray(), (v) => (this.dtype === 'bool' ? v !== 0 : v));
    if (this.ndim === 0) return flat[0]!;
    let pos = 0;
    const build = (dim: number): NestedArray[] => {
      const n = this.shape[dim]!;
      const out: NestedArray[] = [];
      for (let i = 0; i < n; i++) out.push(dim === this.ndim - 1 ? flat[pos++]! : build(dim + 1));
      return out;
    };
    return build(0);
  }

  /**
   * The tensor as PyTorch prints it: `tensor([1.5000, 2.0000], grad_fn=<MulBackward>)`, 4 decimals
   * by default, summarised with '...' past 1,000 elements (see `setPrintOptions`).
   */
  toString(): string {
    return formatTensor(this);
  }

  /** What `console.log` and `util.inspect` show: the same as `toString()`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return formatTensor(this);
  }

  /**
   * The elements as nested arrays (a number for a 0-d tensor), so `JSON.stringify({ loss })`
   * writes values. Tensors of more than `TO_JSON_MAX_ELEMENTS` (100,000) elements throw instead of
   * building a string of megabytes: call `tolist()` yourself if you mean it.
   */
  toJSON(): NestedArray {
    if (this.numel > TO_JSON_MAX_ELEMENTS) {
      throw new RangeError(
        `toJSON: a tensor of shape ${formatShape(this.shape)} has ${this.numel} elements, more than the ${TO_JSON_MAX_ELEMENTS} ` +
          'that JSON.stringify converts; log a summary (String(t)), a reduction (t.mean().item()), or call tolist() explicitly',
      );
    }
    return this.tolist();
  }
}

/**
 * Calls `fn(storageIndex, logicalIndex)` for every element in row-major order. The generic path
 * of kernels that accept any strides.
 * Internal: the generic loop of the reference kernels.
 * @internal
 */
export function forEachOffset(t: Tensor, fn: (offset: number, index: number) => void): void {
  const { shape, strides } = t;
  const n = t.numel;
  if (n === 0) return;
  const ndim = shape.length;
  if (t.isContiguous()) {
    for (let i = 0; i < n; i++) fn(t.offset + i, i);
    return;
  }
  const idx = new Array<number>(ndim).fill(0);
  let off = t.offset;
  for (let i = 0; i < n; i++) {
    fn(off, i);
    for (let d = ndim - 1; d >= 0; d--) {
      idx[d]!++;
      off += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      off -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}
