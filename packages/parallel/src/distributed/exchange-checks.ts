/**
 * The arguments of a collective, checked on the calling thread before the MPI thread sees them:
 * MPI itself would read a negative count as a huge one, a fractional offset would be truncated
 * on its way through the control block's Float64 words, and a per-rank list one entry short
 * would leave the previous call's value in place. None of that errors inside MPI; it moves the
 * wrong bytes.
 */
import { ELEMENTS, OP } from './comm-protocol.js';
import type { Exchange } from './client.js';
import { IN_PLACE, type MpiElement } from './mpich-abi.js';

/** Bytes of one element of each type: byte offsets must be multiples of it. */
const ELEMENT_BYTES: Readonly<Record<MpiElement, number>> = { float32: 4, float64: 8, int32: 4, bytes: 1 };
/** MPI counts and displacements are C ints. */
const INT_MAX = 2147483647;

/** The name of each collective as `MpiWorld` spells it, and where its send offset may be IN_PLACE. */
const COLLECTIVES: Readonly<Record<number, { name: string; args: number; inPlace: boolean; perRank: number }>> = {
  [OP.ALLGATHER]: { name: 'allgather', args: 3, inPlace: true, perRank: 0 },
  [OP.ALLGATHERV]: { name: 'allgatherv', args: 2, inPlace: true, perRank: 2 },
  [OP.ALLTOALLV]: { name: 'alltoallv', args: 2, inPlace: false, perRank: 4 },
  [OP.ALLREDUCE_SUM]: { name: 'allreduceSum', args: 3, inPlace: false, perRank: 0 },
  [OP.BARRIER]: { name: 'barrier', args: 0, inPlace: false, perRank: 0 },
  [OP.FINALIZE]: { name: 'close', args: 0, inPlace: false, perRank: 0 },
};

/** The position of each argument's kind in `args` ('offset' or 'count'), per collective. */
const ARG_KINDS: Readonly<Record<number, readonly ('send' | 'recv' | 'count')[]>> = {
  [OP.ALLGATHER]: ['send', 'count', 'recv'],
  [OP.ALLGATHERV]: ['send', 'recv'],
  [OP.ALLTOALLV]: ['send', 'recv'],
  [OP.ALLREDUCE_SUM]: ['send', 'recv', 'count'],
};

function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * Throws a TypeError or RangeError naming the collective and the argument when `request` cannot
 * be what the caller meant.
 * @param request - the collective as posted
 * @param size - the number of ranks: each per-rank list must hold exactly this many entries
 */
export function checkExchange(request: Exchange, size: number): void {
  const collective = COLLECTIVES[request.op];
  if (collective === undefined) throw new TypeError(`MPI: unknown operation ${shown(request.op)}`);
  const owner = `MpiWorld.${collective.name}`;
  const element = request.element ?? 'bytes';
  if (!ELEMENTS.includes(element)) throw new TypeError(`${owner}: element must be one of ${ELEMENTS.join(', ')}, got ${shown(element)}`);
  const args = request.args ?? [];
  if (args.length !== collective.args) throw new TypeError(`${owner}: expected ${collective.args} offsets and counts, got ${args.length}`);
  const kinds = ARG_KINDS[request.op] ?? [];
  args.forEach((value, i) => {
    const kind = kinds[i]!;
    if (kind === 'send' && value === IN_PLACE) {
      if (!collective.inPlace) throw new RangeError(`${owner}: IN_PLACE is not supported here; pass the byte offset of the data to send`);
      return;
    }
    const what = kind === 'count' ? 'count' : `${kind === 'send' ? 'sendOffset' : 'recvOffset'}`;
    const limit = kind === 'count' ? INT_MAX : Number.MAX_SAFE_INTEGER;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > limit) {
      throw new RangeError(`${owner}: ${what} must be an integer from 0 to ${limit}, got ${shown(value)}`);
    }
    const bytes = ELEMENT_BYTES[element];
    if (kind !== 'count' && value % bytes !== 0) {
      throw new RangeError(
        `${owner}: ${what} ${value} is not a multiple of ${bytes}, the bytes of one ${element} element (offsets are in bytes)`,
      );
    }
  });
  const lists: [string, readonly number[] | undefined][] = [
    [collective.perRank === 4 ? 'sendCounts' : 'counts', request.counts],
    [collective.perRank === 4 ? 'sendDispls' : 'displs', request.displs],
    ['recvCounts', request.recvCounts],
    ['recvDispls', request.recvDispls],
  ];
  lists.forEach(([name, list], i) => {
    if (i >= collective.perRank) {
      if (list !== undefined) throw new TypeError(`${owner}: takes no ${name}`);
      return;
    }
    if (!Array.isArray(list) || list.length !== size) {
      throw new RangeError(
        `${owner}: ${name} must hold one entry per rank (${size}), got ${Array.isArray(list) ? `${list.length} entries` : shown(list)}`,
      );
    }
    const bad = list.findIndex((v) => typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > INT_MAX);
    if (bad >= 0) throw new RangeError(`${owner}: ${name}[${bad}] must be an integer from 0 to ${INT_MAX}, got ${shown(list[bad])}`);
  });
}
