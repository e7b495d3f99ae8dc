import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSafetensors, loadSafetensorsFile, saveSafetensorsFile, tensor } from '../src/index.js';

/**
 * A safetensors file built by hand from the spec: an 8-byte little-endian header length, the
 * JSON header, then each tensor's little-endian bytes at its data_offsets.
 */
function fileOf(entries: { name: string; dtype: string; shape: number[]; bytes: number[] }[]): Uint8Array {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const e of entries) {
    header[e.name] = { dtype: e.dtype, shape: e.shape, data_offsets: [offset, offset + e.bytes.length] };
    offset += e.bytes.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(
    entries.flatMap((e) => e.bytes),
    8 + json.length,
  );
  return out;
}

/** Little-endian bytes of 16-bit words. */
const u16 = (...words: number[]): number[] => words.flatMap((w) => [w & 0xff, w >> 8]);
/** Little-endian two's complement bytes of 64-bit integers. */
const i64 = (...values: bigint[]): number[] =>
  values.flatMap((v) => Array.from({ length: 8 }, (_, k) => Number((BigInt.asUintN(64, v) >> BigInt(8 * k)) & 0xffn)));

describe('reading the dtypes PyTorch writes and Loom computes in none of', () => {
  it('F16 becomes float32 exactly: normals, subnormals, the largest, ±inf and NaN', () => {
    // 1, -2, 0.5, 65504 (largest half), 2^-24 (smallest subnormal), +inf, -inf, NaN
    const bytes = fileOf([
      { name: 'h', dtype: 'F16', shape: [2, 4], bytes: u16(0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001, 0x7c00, 0xfc00, 0x7e00) },
    ]);
    const { h } = loadSafetensors(bytes).tensors;
    expect(h!.dtype).toBe('float32');
    expect(h!.shape).toEqual([2, 4]);
    expect(Array.from(h!.toArray())).toEqual([1, -2, 0.5, 65504, 2 ** -24, Infinity, -Infinity, Number.NaN]);
  });

  it('BF16 becomes float32 exactly (the upper half of the float32 bits)', () => {
    // 1, -2, 3.140625 (π in bfloat16), 2^-126 (smallest normal)
    const bytes = fileOf([{ name: 'b', dtype: 'BF16', shape: [4], bytes: u16(0x3f80, 0xc000, 0x4049, 0x0080) }]);
    expect(Array.from(loadSafetensors(bytes).tensors.b!.toArray())).toEqual([1, -2, 3.140625, 2 ** -126]);
  });

  it('I64 becomes int32 when every value fits, also at an unaligned offset', () => {
    const bytes = fileOf([
      { name: 'odd', dtype: 'F16', shape: [3], bytes: u16(0, 0, 0) },
      { name: 'labels', dtype: 'I64', shape: [4], bytes: i64(0n, -1n, 2147483647n, -2147483648n) },
    ]);
    const { labels } = loadSafetensors(bytes).tensors;
    expect(labels!.dtype).toBe('int32');
    expect(labels!.tolist()).toEqual([0, -1, 2147483647, -2147483648]);
  });

  it('I64 outside the int32 range throws, naming the tensor, the value and the element', () => {
    const bytes = fileOf([{ name: 'step', dtype: 'I64', shape: [2], bytes: i64(7n, 2147483648n) }]);
    expect(() => loadSafetensors(bytes)).toThrow(/tensor 'step' \(I64\) holds 2147483648 at element 1, outside the int32 range/);
  });

  it('a wrong byte count for a converted dtype is refused', () => {
    const bytes = fileOf([{ name: 'h', dtype: 'F16', shape: [3], bytes: u16(0, 0) }]);
    expect(() => loadSafetensors(bytes)).toThrow(/dtype F16 and shape \[3\] needs 6 bytes/);
  });

  it('other dtypes are refused by name', () => {
    const bytes = fileOf([{ name: 'q', dtype: 'U8', shape: [1], bytes: [1] }]);
    expect(() => loadSafetensors(bytes)).toThrow(/"U8", which Loom does not read/);
  });
});

describe('saveSafetensorsFile(tensors, path) in safetensors order', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loom-st-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes (tensors, path, metadata) and still accepts the deprecated (path, tensors) order', async () => {
    const a = join(dir, 'a.safetensors');
    const b = join(dir, 'b.safetensors');
    await saveSafetensorsFile({ w: tensor([1, 2]) }, a, { format: 'pt' });
    await saveSafetensorsFile(b, { w: tensor([1, 2]) }, { format: 'pt' });
    const [ra, rb] = [await loadSafetensorsFile(a), await loadSafetensorsFile(b)];
    expect(ra.tensors.w!.tolist()).toEqual([1, 2]);
    expect(ra.metadata).toEqual({ format: 'pt' });
    expect(rb.tensors.w!.tolist()).toEqual([1, 2]);
  });

  it('reads a hand-written F16 file from disk', async () => {
    const path = join(dir, 'half.safetensors');
    writeFileSync(path, fileOf([{ name: 'x', dtype: 'F16', shape: [1], bytes: u16(0x3555) }]));
    // 0x3555 = 1.0101010101₂ × 2^-2 = 0.333251953125
    expect((await loadSafetensorsFile(path)).tensors.x!.item()).toBe(0.333251953125);
  });
});
