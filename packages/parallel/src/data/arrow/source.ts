import { RecordBatchReader, type Schema, tableFromIPC, type Table } from 'apache-arrow';
import { platform } from '../../platform/platform.js';

/** An Arrow table read from a path or bytes, with a label naming its source in messages. */
export interface ArrowSource {
  table: Table;
  label: string;
}

const FILE_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
const CONTINUATION = [0xff, 0xff, 0xff, 0xff]; // a stream's first message
const OTHER_FORMATS: [number[], string][] = [
  [[0x46, 0x45, 0x41, 0x31], 'a Feather v1 file (only Feather v2, which is the Arrow IPC file format, is read)'], // "FEA1"
  [[0x50, 0x41, 0x52, 0x31], 'a Parquet file'], // "PAR1"
];

/**
 * Reads an Arrow IPC file (also Feather v2) or stream. Bytes that start with neither format's
 * marker are refused before apache-arrow sees them: its own errors on such input talk about
 * metadata lengths, which helps nobody.
 */
export function readArrowTable(source: string | Uint8Array, op: string): ArrowSource {
  const { bytes, label } = readArrowBytes(source, op);
  try {
    return { table: tableFromIPC(bytes), label };
  } catch (err) {
    throw decodeError(err, bytes, label, op);
  }
}

/**
 * The schema of an Arrow IPC file or stream, after the same checks as `loadArrow` (empty,
 * truncated, another format) but without decoding its record batches.
 * @param source - a file path, or the bytes of an Arrow IPC file or stream
 * @param extra - nothing: it takes no options, and anything more throws
 */
export function readArrowSchema(source: string | Uint8Array, ...extra: never[]): Schema {
  const op = 'readArrowSchema';
  if (extra.length > 0)
    throw new TypeError(
      `${op}: takes one argument (a path or the bytes of an Arrow file) and no options; got ${extra.length + 1} arguments`,
    );
  const { bytes, label } = typeof source === 'string' ? readSchemaBytes(source, op) : readArrowBytes(source, op);
  try {
    const reader = RecordBatchReader.from(bytes);
    reader.open();
    if (!reader.schema) throw new Error('no schema message');
    return reader.schema;
  } catch (err) {
    throw decodeError(err, bytes, label, op);
  }
}

const HEAD = 8; // a file's marker with its padding; a stream's continuation marker and first message's length
const FOOTER_TAIL = 10; // a file's footer length (int32) and closing marker
const END_OF_STREAM = [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0];

/**
 * The part of an Arrow file or stream that holds its schema, as bytes apache-arrow reads alone,
 * after the same checks of the head and tail as a whole read: a file's marker and footer (the
 * footer holds the schema; a file need not repeat it up front), or a stream's first message and
 * the end-of-stream marker. Anything that does not parse so is read whole, to fail as before.
 */
function readSchemaBytes(path: string, op: string): { bytes: Uint8Array; label: string } {
  const head = readRange(path, 0, HEAD, op);
  const { size } = head;
  const tail = readRange(path, Math.max(0, size - FOOTER_TAIL), FOOTER_TAIL, op).bytes;
  checkFormat(head.bytes, tail.subarray(Math.max(0, tail.length - FILE_MAGIC.length)), size, path, op);
  let parts: Uint8Array[] | null;
  if (startsWith(head.bytes, FILE_MAGIC)) {
    const footer = tail.length === FOOTER_TAIL ? int32(tail, 0) : -1;
    const ok = footer > 0 && footer <= size - HEAD - FOOTER_TAIL;
    parts = ok ? [head.bytes, readRange(path, size - FOOTER_TAIL - footer, footer + FOOTER_TAIL, op).bytes] : null;
  } else {
    const continued = head.bytes.length === HEAD && int32(head.bytes, 0) === -1;
    const length = continued ? int32(head.bytes, 4) : -1;
    const ok = length > 0 && HEAD + length <= size;
    parts = ok ? [readRange(path, 0, HEAD + length, op).bytes, Uint8Array.from(END_OF_STREAM)] : null;
  }
  if (parts === null) return readArrowBytes(path, op);
  const bytes = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  parts.reduce((at, part) => (bytes.set(part, at), at + part.length), 0);
  return { bytes, label: path };
}

function int32(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(at, true);
}

function readRange(path: string, start: number, length: number, op: string): { bytes: Uint8Array; size: number } {
  try {
    return platform().readFileRange(path, start, length);
  } catch (err) {
    throw new Error(`${op}: cannot read ${path}: ${(err as Error).message}`);
  }
}

function decodeError(err: unknown, bytes: Uint8Array, label: string, op: string): Error {
  const message = (err as Error).message;
  if (/compressed but codec not found/.test(message)) {
    return new Error(
      `${op}: ${label} holds compressed (LZ4 or ZSTD) record batches and no codec is registered; write it ` +
        `uncompressed (pyarrow: feather.write_feather(df, path, compression='uncompressed')) or register one ` +
        `with apache-arrow's compressionRegistry`,
    );
  }
  // A stream has no end marker: a cut one fails while decoding, with whatever message apache-arrow has.
  const hint = startsWith(bytes, CONTINUATION) ? ' (the stream may be truncated)' : '';
  return new Error(`${op}: ${label} is not a valid Arrow IPC file or stream${hint}: ${message}`);
}

/** The bytes of a source, checked to be an Arrow IPC file (complete: it ends with its marker) or stream. */
function readArrowBytes(source: string | Uint8Array, op: string): { bytes: Uint8Array; label: string } {
  const label = typeof source === 'string' ? source : 'the given bytes';
  let bytes: Uint8Array;
  if (typeof source === 'string') {
    try {
      bytes = platform().readFile(source);
    } catch (err) {
      throw new Error(`${op}: cannot read ${source}: ${(err as Error).message}`);
    }
  } else if (source instanceof Uint8Array) {
    bytes = source;
  } else {
    throw new TypeError(`${op}: expected a path or a Uint8Array, got ${typeof source}`);
  }
  checkFormat(bytes, bytes.subarray(Math.max(0, bytes.length - FILE_MAGIC.length)), bytes.length, label, op);
  return { bytes, label };
}

/**
 * Refuses what is not a complete Arrow IPC file or stream, from its first bytes, its last bytes
 * and its size: empty, another format, a file cut short (it lacks its closing marker).
 */
function checkFormat(head: Uint8Array, tail: Uint8Array, size: number, label: string, op: string): void {
  if (!startsWith(head, FILE_MAGIC) && !startsWith(head, CONTINUATION)) {
    const other = OTHER_FORMATS.find(([magic]) => startsWith(head, magic));
    const detail = size === 0 ? ' (it is empty)' : other ? ` (it looks like ${other[1]})` : '';
    throw new Error(`${op}: ${label} is not an Arrow IPC file or stream${detail}`);
  }
  const closed = size >= 2 * FILE_MAGIC.length && tail.length === FILE_MAGIC.length && FILE_MAGIC.every((b, i) => tail[i] === b);
  if (startsWith(head, FILE_MAGIC) && !closed) {
    throw new Error(
      `${op}: ${label} is truncated: an Arrow IPC file ends with the marker ARROW1 and these ${size} bytes do not (an interrupted copy or download?)`,
    );
  }
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}
