/**
 * How the chunks' gradients of one step become one sum in bounded memory, the same bits at any
 * worker count.
 *
 * The sum is defined by one tree over the chunks, the tree of core's `sumSlots`: node (level k,
 * index i) covers chunks [i·2^k, min((i+1)·2^k, C)); a leaf is a chunk's gradient, an inner node
 * the float32 sum of its two children, or its left child alone when the right one is empty. Any
 * set of nodes that partitions [0, C) determines the root by that recursion, so each worker may
 * fold its own contiguous run of chunks into whole nodes as it goes, and the nodes of all
 * workers are added up afterwards: the additions and their order are those of the tree whatever
 * the cut. A run of m sibling-aligned nodes of one level is summed in a single `sumSlots` pass
 * (its level-by-level pairing is the tree's), so a worker merges every FOLD_LEVELS levels,
 * reading each gradient about 4/3 times instead of twice.
 *
 * A worker's pending nodes sit in consecutive slots of its own block, the merged node in the
 * first slot of what it merged; worker 0's block starts at slot 0, where the root lands.
 */

/** A worker merges its pending nodes into a node of every FOLD_LEVELS-th level (fan-in 2^FOLD_LEVELS). */
export const FOLD_LEVELS = 2;

/** One pass over a slot range: slots[dst] = the tree sum of `srcs` (dst is srcs[0]). */
export interface SumOp {
  readonly dst: number;
  readonly srcs: readonly number[];
}

/** A worker's part of one step's fold, in order: a chunk's gradient into a slot, or a merge. */
export type FoldOp = { readonly chunk: number; readonly slot: number } | { readonly sum: SumOp };

/** The fold of one batch of `chunks` chunks over `workers` workers. */
export interface FoldPlan {
  readonly chunks: number;
  /** Each worker's run of chunks [start, end) (empty for workers beyond the chunk count). */
  readonly runs: readonly (readonly [number, number])[];
  /** Each worker's ops while computing its chunks, in order. */
  readonly workerOps: readonly (readonly FoldOp[])[];
  /** The sums that join every worker's nodes into slot 0, run over each slice of the vector. */
  readonly finalOps: readonly SumOp[];
  /**
   * How many nodes each worker's fold leaves, in the first slots of its block: what another
   * process needs of that worker's gradients (MPI ranks exchange exactly these).
   */
  readonly nodeCounts: readonly number[];
}

interface Node {
  level: number;
  index: number;
  slot: number;
}

const levelsOf = (chunks: number): number => (chunks <= 1 ? 0 : Math.ceil(Math.log2(chunks)));
const nodeStart = (n: { level: number; index: number }): number => n.index * 2 ** n.level;
const nodeEnd = (level: number, index: number, chunks: number): number => Math.min((index + 1) * 2 ** level, chunks);

/** Worker w's contiguous run of chunks: as even as possible, in worker order. */
export function chunkRunOf(chunks: number, workers: number, w: number): [number, number] {
  const n = Math.min(workers, chunks);
  if (w >= n) return [chunks, chunks];
  return [Math.floor((chunks * w) / n), Math.floor((chunks * (w + 1)) / n)];
}

/**
 * Reduces the nodes of `pending` that cover node (level, index) to that node, appending the
 * passes to `ops`; returns the slot holding it. Nodes at one level that exactly cover it are
 * summed in one pass; otherwise its children are reduced first.
 */
function reduceNode(pending: readonly Node[], level: number, index: number, chunks: number, ops: SumOp[]): number {
  const start = index * 2 ** level;
  const end = nodeEnd(level, index, chunks);
  const inside = pending.filter((n) => nodeStart(n) >= start && nodeEnd(n.level, n.index, chunks) <= end);
  if (inside.length === 1 && nodeStart(inside[0]!) === start && nodeEnd(inside[0]!.level, inside[0]!.index, chunks) === end) {
    return inside[0]!.slot;
  }
  if (inside.length > 1 && inside.every((n) => n.level === inside[0]!.level)) {
    ops.push({ dst: inside[0]!.slot, srcs: inside.map((n) => n.slot) });
    return inside[0]!.slot;
  }
  const left = reduceNode(pending, level - 1, 2 * index, chunks, ops);
  if ((2 * index + 1) * 2 ** (level - 1) >= chunks) return left;
  const right = reduceNode(pending, level - 1, 2 * index + 1, chunks, ops);
  ops.push({ dst: left, srcs: [left, right] });
  return left;
}

/** Simulates worker w's fold of its run, from slot `base`: its ops, its final nodes and its peak slot count. */
function foldRun(chunks: number, [start, end]: readonly [number, number], base: number): { ops: FoldOp[]; nodes: Node[]; peak: number } {
  const ops: FoldOp[] = [];
  const pending: Node[] = [];
  let peak = 0;
  for (let c = start; c < end; c++) {
    pending.push({ level: 0, index: c, slot: base + pending.length });
    ops.push({ chunk: c, slot: base + pending.length - 1 });
    peak = Math.max(peak, pending.length);
    // Every FOLD_LEVELS-th level, a node this chunk completes (and that lies in the run) is merged.
    for (let level = FOLD_LEVELS; level <= levelsOf(chunks); level += FOLD_LEVELS) {
      const index = c >> level;
      if (nodeEnd(level, index, chunks) !== c + 1 || index * 2 ** level < start) break;
      const sums: SumOp[] = [];
      const slot = reduceNode(pending, level, index, chunks, sums);
      for (const sum of sums) ops.push({ sum });
      const from = pending.findIndex((n) => nodeStart(n) >= index * 2 ** level);
      pending.splice(from, pending.length - from, { level, index, slot });
    }
  }
  return { ops, nodes: pending, peak };
}

/**
 * The fold of `chunks` chunks on `workers` workers, each worker's block of slots starting at
 * `slotBases[w]`.
 * @param chunks - the batch's micro-batches, in order
 * @param workers - the workers sharing them, each taking a contiguous run
 * @param slotBases - the first gradient slot of each worker's block, as `planSlots` gives them
 */
export function planFold(chunks: number, workers: number, slotBases: readonly number[]): FoldPlan {
  const runs = Array.from({ length: workers }, (_, w) => chunkRunOf(chunks, workers, w));
  const folds = runs.map((run, w) => foldRun(chunks, run, slotBases[w]!));
  const finalOps: SumOp[] = [];
  const root = reduceNode(
    folds.flatMap((f) => f.nodes),
    levelsOf(chunks),
    0,
    chunks,
    finalOps,
  );
  if (root !== 0) throw new Error(`gradient fold: the root landed in slot ${root}, not 0`);
  return { chunks, runs, workerOps: folds.map((f) => f.ops), finalOps, nodeCounts: folds.map((f) => f.nodes.length) };
}

/**
 * Slots each worker needs for any batch of up to `maxChunks` chunks (the last batch of an epoch
 * may have fewer), and where each worker's block starts.
 * @param maxChunks - the most micro-batches a batch holds (`batchSize / microBatch`, rounded up)
 * @param workers - the number of workers, over all ranks under MPI
 */
export function planSlots(maxChunks: number, workers: number): { perWorker: number[]; bases: number[]; total: number } {
  const perWorker = new Array<number>(workers).fill(0);
  for (let chunks = 1; chunks <= maxChunks; chunks++) {
    for (let w = 0; w < workers; w++) perWorker[w] = Math.max(perWorker[w]!, foldRun(chunks, chunkRunOf(chunks, workers, w), 0).peak);
  }
  const bases: number[] = [];
  let total = 0;
  for (const n of perWorker) {
    bases.push(total);
    total += n;
  }
  return { perWorker, bases, total };
}

/**
 * The plan where every worker adds all its chunks into its block's first slot (deterministic:
 * false): one slot per worker, their sum in worker order.
 */
export function planAccumulate(chunks: number, workers: number, slotBases: readonly number[]): FoldPlan {
  const runs = Array.from({ length: workers }, (_, w) => chunkRunOf(chunks, workers, w));
  const workerOps = runs.map(([s, e], w) => Array.from({ length: e - s }, (_, i): FoldOp => ({ chunk: s + i, slot: slotBases[w]! })));
  const used = runs.flatMap(([s, e], w) => (e > s ? [slotBases[w]!] : []));
  return {
    chunks,
    runs,
    workerOps,
    finalOps: used.length > 1 ? [{ dst: used[0]!, srcs: used }] : [],
    nodeCounts: runs.map(([s, e]) => (e > s ? 1 : 0)),
  };
}
