import { afterEach, describe, expect, it } from 'vitest';
import { type DType, Tensor, memoryContext } from '../src/index.js';
import { churn } from './residency-churn.js';

const KiB = 1 << 10;

/** The tensor's bytes, copied (a moved-out storage comes back on this access). */
function bytesOf(t: Tensor): Uint8Array {
  const d = t.data();
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength).slice();
}

/** Tensors of every dtype whose bytes are awkward: NaN payloads, −0, infinities, extreme integers, odd lengths. */
function awkward(): Tensor[] {
  const f32 = Tensor.empty([4099], 'float32');
  const a = f32.data() as Float32Array;
  const bits = new Uint32Array(a.buffer, a.byteOffset, a.length);
  for (let i = 0; i < a.length; i++) bits[i] = (Math.imul(i, 2654435761) ^ 0x7fc00001) >>> 0;
  a[0] = -0;
  a[1] = Infinity;
  const f64 = Tensor.empty([1031], 'float64');
  const b = f64.data() as Float64Array;
  for (let i = 0; i < b.length; i++) b[i] = i % 7 === 0 ? Number.MIN_VALUE * i : Math.sin(i) * 1e300;
  const i32 = Tensor.empty([2053], 'int32');
  const c = i32.data() as Int32Array;
  for (let i = 0; i < c.length; i++) c[i] = i % 2 === 0 ? -2147483648 + i : 2147483647 - i;
  const bool = Tensor.empty([4097], 'bool');
  const d = bool.data() as Uint8Array;
  for (let i = 0; i < d.length; i++) d[i] = i % 3 === 0 ? 1 : 0;
  return [f32, f64, i32, bool];
}

describe('moving a region out of the shared memory and back keeps every byte', () => {
  const residency = memoryContext().residency;
  const least = residency.minHeadroomBytes;
  afterEach(() => {
    residency.minHeadroomBytes = least;
  });

  it('float32 (NaN payloads, −0), float64, int32 and bool tensors come back bit for bit', () => {
    const tensors = awkward();
    const expected = tensors.map(bytesOf);
    const dtypes: DType[] = tensors.map((t) => t.dtype);
    expect(dtypes).toEqual(['float32', 'float64', 'int32', 'bool']);
    residency.minHeadroomBytes = 64 * KiB;
    // Each 256 KiB allocation runs a pass; the four tensors were not used since, so they move out.
    churn(6, 256 * KiB);
    // Reading them brings them back: `returnedBytes` counts exactly what a pass had moved out.
    const returned = residency.returnedBytes;
    const actual = tensors.map(bytesOf);
    expect(residency.returnedBytes - returned).toBe(expected.reduce((sum, b) => sum + b.length, 0));
    actual.forEach((b, k) => expect(b).toEqual(expected[k]));
  });
});
