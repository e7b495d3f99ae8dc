import { formatShape, type Shape, shapesEqual } from './shape.js';
import { Tensor } from './tensor.js';

/**
 * A row-sparse tensor: the gradient of a sparse embedding. Row `indices[k]` of the dense tensor
 * (shape [rows, ...rest]) is `values[k]`; rows not listed are zero. Indices may repeat until
 * `coalesce()` sums them, as PyTorch's sparse COO gradients do.
 */
export class RowSparseTensor extends Tensor {
  /**
   * @param indices - the dense row of each row of `values`, in [0, rows); repeats allowed.
   * @param values - [indices.length, ...rest]: the rows themselves; the tensor shares their storage.
   * @param denseShape - [rows, ...rest], the shape of the dense tensor this one stands for.
   */
  constructor(
    readonly indices: Int32Array,
    readonly values: Tensor,
    denseShape: Shape,
  ) {
    super(values.storage, denseShape, values.strides, values.offset);
    if (values.shape[0] !== indices.length || values.ndim !== denseShape.length) {
      throw new RangeError(
        `RowSparseTensor: ${indices.length} indices and values of shape ${formatShape(values.shape)} do not fit dense shape ${formatShape(denseShape)}`,
      );
    }
  }

  override get isSparse(): boolean {
    return true;
  }

  /** Elements per row. */
  get rowSize(): number {
    return this.values.numel / Math.max(this.indices.length, 1);
  }

  override data(): never {
    throw new Error('data: a row-sparse tensor has no dense data; use values, indices or toDense()');
  }

  override toArray(): Float32Array | Float64Array {
    return this.toDense().toArray() as Float32Array | Float64Array;
  }

  /** The equivalent dense tensor. */
  toDense(): Tensor {
    const dense = Tensor.empty(this.shape, this.dtype);
    const out = dense.data();
    out.fill(0);
    const vals = this.values.contiguous().data();
    const row = this.rowSize;
    this.indices.forEach((r, k) => {
      for (let j = 0; j < row; j++) out[r * row + j] = out[r * row + j]! + vals[k * row + j]!;
    });
    return dense;
  }

  /** Sorted unique row indices with the values of repeated rows summed. */
  coalesce(): RowSparseTensor {
    const row = this.rowSize;
    const vals = this.values.contiguous().data();
    const unique = [...new Set(this.indices)].sort((a, b) => a - b);
    const position = new Map(unique.map((r, i) => [r, i]));
    const values = Tensor.empty([unique.length, ...this.shape.slice(1)], this.dtype);
    const out = values.data();
    out.fill(0);
    this.indices.forEach((r, k) => {
      const p = position.get(r)! * row;
      for (let j = 0; j < row; j++) out[p + j] = out[p + j]! + vals[k * row + j]!;
    });
    return new RowSparseTensor(Int32Array.from(unique), values, this.shape);
  }

  /**
   * This + other: sparse + sparse stays sparse (rows concatenated); with a dense tensor, dense.
   * @param other - a row-sparse or dense tensor of the same dense shape and dtype.
   */
  accumulate(other: Tensor): Tensor {
    if (!shapesEqual(other.shape, this.shape) || other.dtype !== this.dtype) {
      throw new Error(
        `RowSparseTensor.accumulate: cannot add a ${other.dtype} tensor of shape ${formatShape(other.shape)} to a ${this.dtype} gradient of shape ${formatShape(this.shape)}`,
      );
    }
    if (other instanceof RowSparseTensor) {
      const indices = new Int32Array(this.indices.length + other.indices.length);
      indices.set(this.indices);
      indices.set(other.indices, this.indices.length);
      const values = Tensor.empty([indices.length, ...this.shape.slice(1)], this.dtype);
      const out = values.data();
      out.set(this.values.contiguous().data());
      out.set(other.values.contiguous().data(), this.values.numel);
      return new RowSparseTensor(indices, values, this.shape);
    }
    const dense = this.toDense();
    const d = dense.data();
    const o = other.contiguous().data();
    for (let i = 0; i < d.length; i++) d[i] = d[i]! + o[i]!;
    return dense;
  }
}
