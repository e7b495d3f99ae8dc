/**
 * The shared control block of persistent worker loops: two Int32 words — the round generation
 * (bumped by the main thread to start a round) and the count of workers done with it — then one
 * mailbox per worker carrying that worker's command in and its result out, as length-prefixed
 * JSON. Only Node built-ins are used, so both sides load it alone.
 */
export const GENERATION = 0;
export const DONE = 1;
const HEADER_BYTES = 64;
const MAILBOX_BYTES = 256 * 1024;

/** JSON has no NaN or ±Infinity (a NaN loss must reach the main thread as NaN, not null). */
function encodeNumber(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? { $number: String(value) } : value;
}

function decodeNumber(_key: string, value: unknown): unknown {
  return value !== null && typeof value === 'object' && '$number' in value ? Number((value as { $number: string }).$number) : value;
}

/** The control words and mailboxes over one SharedArrayBuffer. */
export class Mailboxes {
  readonly control: Int32Array;

  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly workers: number,
  ) {
    this.control = new Int32Array(buffer, 0, 2);
  }

  static create(workers: number): Mailboxes {
    return new Mailboxes(new SharedArrayBuffer(HEADER_BYTES + workers * MAILBOX_BYTES), workers);
  }

  write(worker: number, value: unknown): void {
    const base = HEADER_BYTES + worker * MAILBOX_BYTES;
    const text = JSON.stringify(value ?? null, encodeNumber);
    const bytes = Buffer.from(this.buffer, base + 4, MAILBOX_BYTES - 4);
    const length = bytes.write(text);
    if (Buffer.byteLength(text) > length) throw new RangeError(`worker mailbox overflow (${Buffer.byteLength(text)} bytes)`);
    new Int32Array(this.buffer, base, 1)[0] = length;
  }

  read(worker: number): unknown {
    const base = HEADER_BYTES + worker * MAILBOX_BYTES;
    const length = new Int32Array(this.buffer, base, 1)[0]!;
    return JSON.parse(Buffer.from(this.buffer, base + 4, length).toString(), decodeNumber) as unknown;
  }
}
