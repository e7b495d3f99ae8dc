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
 * @param op - the name error messages start with; default 'readArrowSchema'
 */
export function readArrowSchema(source: string | Uint8Array, op = 'readArrowSchema'): Schema {
  const { bytes, label } = readArrowBytes(source, op);
  try {
    const reader = RecordBatchReader.from(bytes);
    reader.open();
    if (!reader.schema) throw new Error('no schema message');
    return reader.schema;
  } catch (err) {
    throw decodeError(err, bytes, label, op);
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
  if (!startsWith(bytes, FILE_MAGIC) && !startsWith(bytes, CONTINUATION)) {
    const other = OTHER_FORMATS.find(([magic]) => startsWith(bytes, magic));
    const detail = bytes.length === 0 ? ' (it is empty)' : other ? ` (it looks like ${other[1]})` : '';
    throw new Error(`${op}: ${label} is not an Arrow IPC file or stream${detail}`);
  }
  if (startsWith(bytes, FILE_MAGIC) && !endsWith(bytes, FILE_MAGIC)) {
    throw new Error(
      `${op}: ${label} is truncated: an Arrow IPC file ends with the marker ARROW1 and these ${bytes.length} bytes do not (an interrupted copy or download?)`,
    );
  }
  return { bytes, label };
}

function endsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  const start = bytes.length - magic.length;
  return start >= FILE_MAGIC.length && magic.every((b, i) => bytes[start + i] === b);
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}
