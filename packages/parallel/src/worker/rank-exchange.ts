/**
 * A worker's side of the exchange between MPI ranks, run by the last worker of this process to
 * reach a barrier (while the others wait there): MPI only moves bytes, into the same places on
 * every rank, and every rank then adds up the same values in the same order.
 *
 * - After computing (the step's first barrier): the ranks' records are gathered, so that every
 *   rank knows every chunk's loss and whether any rank failed or was asked to stop; if the step
 *   goes on, each worker's folded nodes (gradient-fold.ts) are scattered by range: a rank receives
 *   every other rank's nodes over its own range of the vector only (the range its workers reduce),
 *   into the same slots as on the sender (Alltoallv); the chunks' BatchNorm statistics
 *   (chunk-statistics.ts) are gathered whole: every rank tracks every chunk's, in chunk order,
 *   into its own copy of the running statistics, which stay identical on every rank.
 * - With gradient clipping: every global worker's Σg².
 * - After the update (the last barrier): each rank updated its own range of the parameters (its
 *   workers' slices, with their optimizer state), and the ranges are gathered; the ring fields of
 *   every global worker come along with the records.
 */
import { MpiClient } from '../distributed/client.js';
import { OP } from '../distributed/comm-protocol.js';
import { IN_PLACE } from '../distributed/mpich-abi.js';
import type { FoldPlan } from '../protocol/gradient-fold.js';
import { type DistributedSetup, rankRanges, type RecordLayout, recordLayout, RING_FIELDS } from '../protocol/ranks.js';
import type { WorkerContext } from './context.js';

export class RankExchange {
  private readonly client: MpiClient;
  private readonly layout: RecordLayout;
  /** Every rank's record, back to back. */
  private readonly records: Float64Array;
  private readonly own: Float64Array;
  private readonly workers: number;
  private readonly paramCounts: number[];
  private readonly paramDispls: number[];

  constructor(
    private readonly ctx: WorkerContext,
    private readonly d: DistributedSetup,
  ) {
    this.client = new MpiClient(d.control);
    this.workers = ctx.setup.stepBlock.workers;
    this.layout = recordLayout(ctx.setup.stepBlock.maxChunks, this.workers);
    this.records = new Float64Array(ctx.memory.buffer, d.records, d.ranks * this.layout.floats);
    this.own = this.records.subarray(d.rank * this.layout.floats, (d.rank + 1) * this.layout.floats);
    const ranges = rankRanges(ctx.setup.buffers.layout.length, d.ranks, this.workers);
    this.paramCounts = ranges.map(([s, e]) => e - s);
    this.paramDispls = ranges.map(([s]) => s);
  }

  private call(run: () => void): void {
    this.ctx.block.setExchanging(true);
    try {
      run();
    } finally {
      this.ctx.block.setExchanging(false);
    }
  }

  private gatherRecords(): void {
    this.call(() => this.client.call({ op: OP.ALLGATHER, element: 'float64', args: [IN_PLACE, this.layout.floats, this.d.records] }));
  }

  private record(rank: number): Float64Array {
    return this.records.subarray(rank * this.layout.floats, (rank + 1) * this.layout.floats);
  }

  /**
   * After the step's first barrier: agrees with every rank on failure, stop and the chunk
   * losses; then, if the step goes on (`goesOn` asked once the losses are known), receives every
   * worker's gradient nodes over this rank's range.
   */
  agree(plan: FoldPlan, goesOn: () => boolean): void {
    const { block } = this.ctx;
    const { rank, ranks } = this.d;
    const W = this.workers;
    const L = this.layout;
    const own = this.own;
    own[L.failed] = block.failed ? 1 : 0;
    own[L.stop] = block.stopping ? 1 : 0;
    const [first, last] = [plan.runs[rank * W]![0], plan.runs[rank * W + W - 1]![1]];
    for (let c = first; c < last; c++) own[L.losses + c] = block.chunkLosses[c]!;
    this.gatherRecords();
    for (let r = 0; r < ranks; r++) {
      const record = this.record(r);
      if (record[L.failed] !== 0 && r !== rank) block.failRemote(r);
      if (record[L.stop] !== 0) block.stopAll();
      if (r === rank) continue;
      for (let c = plan.runs[r * W]![0]; c < plan.runs[r * W + W - 1]![1]; c++) block.chunkLosses[c] = record[L.losses + c]!;
    }
    if (block.failed || block.stopping || !goesOn()) return;
    const { buffers } = this.ctx.setup;
    const P = buffers.layout.length;
    // Reduce-scatter of the nodes: rank q's node j of local worker w goes, cut by the ranks'
    // ranges, to every rank, each receiving only its own range into the node's slot (the slots
    // are the same everywhere). One Alltoallv per (w, j): a node is one slot, so what goes to a
    // rank is one contiguous range. A rank's own range is already in place (count 0).
    const mine = this.paramCounts[rank]!;
    for (let w = 0; w < W; w++) {
      const nodes = Array.from({ length: ranks }, (_, r) => plan.nodeCounts[r * W + w]!);
      const slotOf = (r: number, j: number): number => buffers.slotBases[r * W + w]! + j;
      for (let j = 0; j < Math.max(...nodes); j++) {
        const sending = nodes[rank]! > j;
        const sendCounts = this.paramCounts.map((n, r) => (sending && r !== rank ? n : 0));
        const sendDispls = this.paramDispls.map((start) => (sending ? slotOf(rank, j) * P + start : 0));
        const recvCounts = nodes.map((n, r) => (n > j && r !== rank ? mine : 0));
        const recvDispls = nodes.map((n, r) => (n > j ? slotOf(r, j) * P + this.paramDispls[rank]! : 0));
        this.call(() =>
          this.client.call({
            op: OP.ALLTOALLV,
            element: 'float32',
            args: [buffers.slots, buffers.slots],
            counts: sendCounts,
            displs: sendDispls,
            recvCounts,
            recvDispls,
          }),
        );
      }
    }
    const { stride } = buffers.statisticsLayout;
    if (stride > 0) {
      // Each rank's chunk run is contiguous: its chunks' statistics slots are one range.
      const runs = Array.from({ length: ranks }, (_, r) => [plan.runs[r * W]![0], plan.runs[r * W + W - 1]![1]] as const);
      const counts = runs.map(([first, end]) => (end - first) * stride);
      const displs = runs.map(([first]) => first * stride);
      this.call(() => this.client.call({ op: OP.ALLGATHERV, element: 'float64', args: [IN_PLACE, buffers.statistics], counts, displs }));
    }
  }

  /** With gradient clipping: every global worker's Σg² into the step block. */
  shareSquares(): void {
    const { block } = this.ctx;
    const { rank, ranks } = this.d;
    const W = this.workers;
    for (let w = 0; w < W; w++) this.own[this.layout.squares + w] = block.sumSquares[rank * W + w]!;
    this.gatherRecords();
    for (let r = 0; r < ranks; r++) {
      if (r === rank) continue;
      const record = this.record(r);
      for (let w = 0; w < W; w++) block.sumSquares[r * W + w] = record[this.layout.squares + w]!;
    }
  }

  /** After the update of step k: every rank's range of the parameters (when it was applied), and every worker's ring fields. */
  publish(k: number, applied: boolean): void {
    const { ring, setup } = this.ctx;
    const { rank, ranks } = this.d;
    const W = this.workers;
    if (applied) {
      this.call(() =>
        this.client.call({
          op: OP.ALLGATHERV,
          element: 'float32',
          args: [IN_PLACE, setup.buffers.params],
          counts: this.paramCounts,
          displs: this.paramDispls,
        }),
      );
    }
    for (let w = 0; w < W; w++) this.own.set(ring.workerFields(k, rank * W + w), this.layout.ring + w * RING_FIELDS);
    this.gatherRecords();
    for (let r = 0; r < ranks; r++) {
      if (r === rank) continue;
      const record = this.record(r);
      for (let w = 0; w < W; w++)
        ring.workerFields(k, r * W + w).set(record.subarray(this.layout.ring + w * RING_FIELDS, this.layout.ring + (w + 1) * RING_FIELDS));
    }
  }
}
