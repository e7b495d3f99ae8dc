/**
 * The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
 * header length, a JSON header naming each tensor's dtype, shape and byte range, padded with
 * spaces to 8 bytes, then the raw little-endian data. PyTorch users open Loom's checkpoints with
 * `safetensors.torch.load_file`.
 */
import { formatValue } from '../util/format-value.js';
import { isOptionsObject } from '../util/options.js';
import { BYTES_PER_ELEMENT, type DType } from '../dtype.js';
import { contiguous, detach } from '../ops/copy.js';
import { formatShape, numel } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { CONVERTED } from './safetensors-dtypes.js';

/** Free-form string metadata stored under `__metadata__`. */
export type SafetensorsMetadata = Record<string, string>;

/** What `loadSafetensors` returns. */
export interface SafetensorsContents {
  tensors: Record<string, Tensor>;
  metadata: SafetensorsMetadata;
}

const CODE_OF: Readonly<Record<DType, string>> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };
/** The file dtypes Loom reads as its own dtype byte for byte. */
const DTYPE_OF: Readonly<Record<string, DType>> = { F32: 'float32', F64: 'float64', I32: 'int32', BOOL: 'bool' };
/** Position of each dtype in the reference implementation's dtype enum, which orders the data. */
const WRITE_RANK: Readonly<Record<DType, number>> = { float64: 3, float32: 2, int32: 1, bool: 0 };
/** The reference implementation refuses larger headers; so does Loom, before parsing them. */
const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** Sets an own enumerable property, even one named '__proto__' (a plain assignment would set the prototype). */
function setOwn<V>(record: Record<string, V>, key: string, value: V): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The bytes of a contiguous tensor's elements. Loom's storage is WebAssembly memory, which is little-endian. */
function bytesOf(t: Tensor): Uint8Array {
  const data = t.data();
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Serialises named tensors (any strides) and string metadata to safetensors bytes.
 * @param stateDict - the tensors by name (any strides, dense only: a row-sparse one throws), as
 *   `Module.stateDict()` returns them; `__metadata__` is reserved
 * @param metadata - free-form string values stored under `__metadata__` (a non-string value throws); omitted: none
 */
export function saveSafetensors(stateDict: Readonly<Record<string, Tensor>>, metadata?: SafetensorsMetadata): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) {
    if (!isOptionsObject(metadata)) {
      throw new TypeError(`saveSafetensors: metadata must be an object of strings by key, got ${formatValue(metadata)}`);
    }
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string')
        throw new TypeError(`saveSafetensors: metadata value of '${key}' must be a string, got ${formatValue(value)}`);
    }
    header[METADATA_KEY] = metadata;
  }
  // The reference implementation's order (its dtype enum descending, then by name): every tensor
  // then starts aligned to its element size, and the bytes are identical to what it writes.
  const names = Object.keys(stateDict).sort(
    (a, b) => WRITE_RANK[stateDict[b]!.dtype] - WRITE_RANK[stateDict[a]!.dtype] || (a < b ? -1 : a > b ? 1 : 0),
  );
  const tensors: Tensor[] = [];
  let offset = 0;
  for (const name of names) {
    if (name === METADATA_KEY) throw new RangeError(`saveSafetensors: '${METADATA_KEY}' is reserved and cannot name a tensor`);
    const t = stateDict[name]!;
    if (t.isSparse) throw new TypeError(`saveSafetensors: tensor '${name}' is row-sparse; save toDense() instead`);
    const bytes = t.numel * BYTES_PER_ELEMENT[t.dtype];
    setOwn(header, name, { dtype: CODE_OF[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + bytes] });
    tensors.push(t);
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerBytes + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerBytes);
  let at = 8 + headerBytes;
  for (const t of tensors) {
    const bytes = bytesOf(contiguous(detach(t)));
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

function corrupt(message: string): Error {
  return new Error(`loadSafetensors: ${message}`);
}

function isNonNegativeInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Parses and checks the header: every entry well-formed, the data ranges tiling the buffer exactly. */
function parseHeader(bytes: Uint8Array): { entries: [string, HeaderEntry][]; metadata: SafetensorsMetadata; dataStart: number } {
  if (bytes.length < 8) throw corrupt(`file of ${bytes.length} bytes is too short to hold the 8-byte header length`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8)) {
    throw corrupt(
      `header length ${headerLength} runs past the end of the file (${bytes.length} bytes): the file is truncated or not safetensors`,
    );
  }
  if (headerLength > BigInt(MAX_HEADER_BYTES))
    throw corrupt(`header length ${headerLength} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  const dataStart = 8 + Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch (e) {
    throw corrupt(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw corrupt('header is not a JSON object');

  let metadata: SafetensorsMetadata = {};
  const entries: [string, HeaderEntry][] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === METADATA_KEY) {
      if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
        throw corrupt(`${METADATA_KEY} must map strings to strings`);
      }
      metadata = { ...(value as SafetensorsMetadata) };
      continue;
    }
    entries.push([name, checkEntry(name, value)]);
  }

  const dataBytes = bytes.length - dataStart;
  const byRange = [...entries].sort((a, b) => a[1].data_offsets[0] - b[1].data_offsets[0] || a[1].data_offsets[1] - b[1].data_offsets[1]);
  let end = 0;
  for (const [
    name,
    {
      data_offsets: [begin, stop],
    },
  ] of byRange) {
    if (stop > dataBytes)
      throw corrupt(`tensor '${name}' data_offsets [${begin}, ${stop}] run past the ${dataBytes} data bytes of the file`);
    if (begin < end)
      throw corrupt(`tensor '${name}' data_offsets [${begin}, ${stop}] overlap another tensor's data (which ends at ${end})`);
    if (begin > end) throw corrupt(`tensor '${name}' data_offsets [${begin}, ${stop}] leave a gap after byte ${end}`);
    end = stop;
  }
  if (end !== dataBytes) throw corrupt(`the tensors cover ${end} bytes but the file holds ${dataBytes} data bytes`);
  return { entries, metadata, dataStart };
}

function checkEntry(name: string, value: unknown): HeaderEntry {
  if (typeof value !== 'object' || value === null) throw corrupt(`entry '${name}' is not an object`);
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(Object.hasOwn(DTYPE_OF, dtype) || Object.hasOwn(CONVERTED, dtype))) {
    throw corrupt(
      `tensor '${name}' has dtype ${JSON.stringify(dtype)}, which Loom does not read (expected F32, F64, I32, BOOL, or F16, BF16 and I64, which are converted)`,
    );
  }
  if (!Array.isArray(shape) || !shape.every(isNonNegativeInteger))
    throw corrupt(`tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`);
  const [begin, stop] = Array.isArray(offsets) && offsets.length === 2 ? (offsets as unknown[]) : [];
  if (!isNonNegativeInteger(begin) || !isNonNegativeInteger(stop) || begin > stop) {
    throw corrupt(`tensor '${name}' has invalid data_offsets ${JSON.stringify(offsets)}`);
  }
  const expected = numel(shape) * (CONVERTED[dtype]?.bytes ?? BYTES_PER_ELEMENT[DTYPE_OF[dtype]!]);
  if (stop - begin !== expected) {
    throw corrupt(
      `tensor '${name}' of dtype ${dtype} and shape ${formatShape(shape)} needs ${expected} bytes, but data_offsets [${begin}, ${stop}] hold ${stop - begin}`,
    );
  }
  return { dtype, shape, data_offsets: [begin, stop] };
}

/**
 * Reads safetensors bytes into new tensors (allocated as any new tensor is) and their metadata;
 * refuses corrupt input. F16 and BF16 tensors (as PyTorch saves half-precision weights) become
 * float32, exactly; I64 tensors (PyTorch's integer default) become int32, and a value outside the
 * int32 range throws naming the tensor.
 * @param bytes - a whole safetensors file's bytes (header length, JSON header, data); not retained
 */
export function loadSafetensors(bytes: Uint8Array): SafetensorsContents {
  const { entries, metadata, dataStart } = parseHeader(bytes);
  const tensors: Record<string, Tensor> = {};
  for (const [
    name,
    {
      dtype,
      shape,
      data_offsets: [begin, stop],
    },
  ] of entries) {
    const raw = bytes.subarray(dataStart + begin, dataStart + stop);
    const converted = CONVERTED[dtype];
    let t: Tensor;
    if (converted) {
      t = Tensor.empty(shape, converted.dtype);
      converted.decode(new DataView(raw.buffer, raw.byteOffset, raw.byteLength), t.data(), name);
    } else {
      t = Tensor.empty(shape, DTYPE_OF[dtype]!);
      // A byte copy: the file's offsets need not be aligned to the element size.
      bytesOf(t).set(raw);
    }
    setOwn(tensors, name, t);
  }
  return { tensors, metadata };
}
