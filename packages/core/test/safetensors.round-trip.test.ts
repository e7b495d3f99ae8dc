import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Linear,
  Sequential,
  loadSafetensors,
  loadSafetensorsFile,
  saveSafetensors,
  saveSafetensorsFile,
  tensor,
  zeros,
  type Tensor,
} from '../src/index.js';

/**
 * Written by the reference implementation (Python safetensors 0.8.0, `safetensors.numpy.save`) for
 * b = float32 [[1.5, -2, 3.25]], a = int32 [7, -8], c = bool [true, false, true], d = float64
 * [0.1], e = float32 zeros [0, 2], metadata {step: '3'}.
 */
const REFERENCE_HEX =
  '3801000000000000' +
  Buffer.from(
    '{"__metadata__":{"step":"3"},"d":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},' +
      '"b":{"dtype":"F32","shape":[1,3],"data_offsets":[8,20]},"e":{"dtype":"F32","shape":[0,2],"data_offsets":[20,20]},' +
      '"a":{"dtype":"I32","shape":[2],"data_offsets":[20,28]},"c":{"dtype":"BOOL","shape":[3],"data_offsets":[28,31]}}      ',
  ).toString('hex') +
  '9a9999999999b93f' +
  '0000c03f000000c000005040' +
  '07000000f8ffffff' +
  '010001';

function referenceTensors(): Record<string, Tensor> {
  return {
    b: tensor([[1.5, -2, 3.25]]),
    a: tensor([7, -8], { dtype: 'int32' }),
    c: tensor([true, false, true]),
    d: tensor([0.1], { dtype: 'float64' }),
    e: zeros([0, 2]),
  };
}

/** A file from a header object and data bytes, as a writer that does not check anything would produce. */
function handWritten(header: unknown, data: number[] = [], headerText = JSON.stringify(header)): Uint8Array {
  const json = Buffer.from(headerText);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('safetensors', () => {
  it('writes exactly the bytes of the reference implementation', () => {
    expect(Buffer.from(saveSafetensors(referenceTensors(), { step: '3' })).toString('hex')).toBe(REFERENCE_HEX);
  });

  it('reads the reference bytes back to the same values, dtypes and shapes', () => {
    const { tensors, metadata } = loadSafetensors(Buffer.from(REFERENCE_HEX, 'hex'));
    expect(metadata).toEqual({ step: '3' });
    const expected = referenceTensors();
    expect(Object.keys(tensors).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    for (const [name, t] of Object.entries(expected)) {
      expect(tensors[name]!.dtype).toBe(t.dtype);
      expect(tensors[name]!.shape).toEqual(t.shape);
      expect(tensors[name]!.tolist()).toEqual(t.tolist());
    }
  });

  it('round-trips every dtype bit for bit, non-contiguous views included', () => {
    const f32 = tensor([
      [0.1, -0, Infinity],
      [NaN, 3e-42, -1e38],
    ]);
    const dict = {
      'layer.weight': f32.t(),
      f64: tensor([Math.PI, -Number.MIN_VALUE, Number.MAX_VALUE], { dtype: 'float64' }),
      i32: tensor([2147483647, -2147483648, 0], { dtype: 'int32' }),
      flags: tensor([[true], [false]]),
      scalar: tensor(5),
    };
    const bytes = saveSafetensors(dict);
    const { tensors, metadata } = loadSafetensors(bytes);
    expect(metadata).toEqual({});
    for (const [name, t] of Object.entries(dict)) {
      expect(tensors[name]!.shape).toEqual(t.shape);
      expect(tensors[name]!.dtype).toBe(t.dtype);
      expect(Buffer.from(tensors[name]!.toArray().buffer)).toEqual(Buffer.from(t.toArray().buffer));
    }
    expect(saveSafetensors(tensors)).toEqual(bytes);
  });

  it('pads the header with spaces to a multiple of 8 bytes', () => {
    const bytes = saveSafetensors({ x: tensor([1]) });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = Buffer.from(bytes.subarray(8, 8 + n)).toString();
    expect(header.trimEnd()).toBe('{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}');
    expect(header.slice(header.trimEnd().length)).toMatch(/^ *$/);
  });

  it('saves a model state dict to a file atomically and loads it into another model', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loom-safetensors-'));
    dirs.push(dir);
    const path = join(dir, 'model.safetensors');
    const a = new Sequential(new Linear(3, 4), new Linear(4, 2));
    await writeFile(path, 'an older checkpoint');
    await saveSafetensorsFile(a.stateDict(), path, { format: 'pt' });
    expect(await readdir(dir)).toEqual(['model.safetensors']);
    const { tensors, metadata } = await loadSafetensorsFile(path);
    expect(metadata).toEqual({ format: 'pt' });
    const b = new Sequential(new Linear(3, 4), new Linear(4, 2));
    b.loadStateDict(tensors);
    expect(b.stateDict()['1.weight']!.tolist()).toEqual(a.stateDict()['1.weight']!.tolist());
    expect(Buffer.from(await readFile(path))).toEqual(Buffer.from(saveSafetensors(a.stateDict(), { format: 'pt' })));
  });

  it('leaves no temporary file behind when the write fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loom-safetensors-'));
    dirs.push(dir);
    // Renaming a file over a non-empty directory fails after the temporary file is written.
    await mkdir(join(dir, 'ckpt', 'inner'), { recursive: true });
    await expect(saveSafetensorsFile({ x: tensor([1]) }, join(dir, 'ckpt'))).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['ckpt']);
    await expect(saveSafetensorsFile({ x: tensor([1]) }, join(dir, 'missing', 'x.safetensors'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses bad input to saveSafetensors', () => {
    expect(() => saveSafetensors({ __metadata__: tensor([1]) })).toThrow(
      "saveSafetensors: '__metadata__' is reserved and cannot name a tensor",
    );
    expect(() => saveSafetensors({}, { step: 3 as unknown as string })).toThrow(
      "saveSafetensors: metadata value of 'step' must be a string, got 3",
    );
  });
});

describe('safetensors refuses truncated and corrupt files', () => {
  const good = () => Buffer.from(REFERENCE_HEX, 'hex');
  const entry = { dtype: 'F32', shape: [2], data_offsets: [0, 8] };
  const eight = [0, 0, 128, 63, 0, 0, 0, 64];
  const cases: [string, Uint8Array, string][] = [
    ['fewer than 8 bytes', good().subarray(0, 5), 'file of 5 bytes is too short to hold the 8-byte header length'],
    [
      'a header cut short',
      good().subarray(0, 100),
      'header length 312 runs past the end of the file (100 bytes): the file is truncated or not safetensors',
    ],
    ['data cut short', good().subarray(0, good().length - 2), "tensor 'c' data_offsets [28, 31] run past the 29 data bytes of the file"],
    ['trailing bytes', Buffer.concat([good(), Buffer.from([0])]), 'the tensors cover 31 bytes but the file holds 32 data bytes'],
    ['bad JSON', handWritten(null, [], '{"x": {'), 'header is not valid UTF-8 JSON'],
    ['a header that is not an object', handWritten([1, 2]), 'header is not a JSON object'],
    [
      'an unknown dtype',
      handWritten({ x: { ...entry, dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, [0]),
      `tensor 'x' has dtype "F8_E4M3", which Loom does not read (expected F32, F64, I32, BOOL, or F16, BF16 and I64, which are converted)`,
    ],
    [
      'a byte count not matching the shape',
      handWritten({ x: { ...entry, shape: [3] } }, eight),
      "tensor 'x' of dtype F32 and shape [3] needs 12 bytes, but data_offsets [0, 8] hold 8",
    ],
    [
      'overlapping tensors',
      handWritten({ x: entry, y: { ...entry, shape: [1], data_offsets: [4, 8] } }, eight),
      "tensor 'y' data_offsets [4, 8] overlap another tensor's data (which ends at 8)",
    ],
    [
      'a gap between tensors',
      handWritten({ x: { ...entry, shape: [1], data_offsets: [4, 8] } }, eight),
      "tensor 'x' data_offsets [4, 8] leave a gap after byte 0",
    ],
    [
      'offsets out of range',
      handWritten({ x: { ...entry, data_offsets: [8, 16] } }, eight),
      "tensor 'x' data_offsets [8, 16] run past the 8 data bytes of the file",
    ],
    ['reversed offsets', handWritten({ x: { ...entry, data_offsets: [8, 0] } }, eight), "tensor 'x' has invalid data_offsets [8,0]"],
    ['a negative shape', handWritten({ x: { ...entry, shape: [-2] } }, eight), "tensor 'x' has an invalid shape [-2]"],
    ['non-string metadata', handWritten({ __metadata__: { step: 3 } }), '__metadata__ must map strings to strings'],
  ];
  it.each(cases)('refuses %s', (_, bytes, message) => {
    expect(() => loadSafetensors(bytes)).toThrow(`loadSafetensors: ${message}`);
  });

  it('names the file it could not read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loom-safetensors-'));
    dirs.push(dir);
    const path = join(dir, 'broken.safetensors');
    await writeFile(path, good().subarray(0, 100));
    await expect(loadSafetensorsFile(path)).rejects.toThrow(`(file ${path})`);
  });

  it('reads a valid hand-written file whose data is not in header order', () => {
    const header = { y: { dtype: 'I32', shape: [1], data_offsets: [4, 8] }, x: { dtype: 'F32', shape: [], data_offsets: [0, 4] } };
    const { tensors } = loadSafetensors(handWritten(header, [0, 0, 128, 63, 5, 0, 0, 0]));
    expect(tensors.x!.shape).toEqual([]);
    expect(tensors.x!.item()).toBe(1);
    expect(tensors.y!.tolist()).toEqual([5]);
  });
});
