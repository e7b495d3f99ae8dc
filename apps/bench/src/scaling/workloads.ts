/** The three canonical workloads of the scaling study, as every system runs them. */

/** A workload's network: an MLP by layer sizes, the LeNet-style CNN, or the character-level transformer. */
export type WorkloadModel =
  | { kind: 'mlp'; sizes: number[] }
  | { kind: 'cnn'; inputShape: [number, number, number]; numClasses: number }
  | {
      kind: 'char-transformer';
      vocabSize: number;
      contextLength: number;
      dModel: number;
      nhead: number;
      numLayers: number;
      dimFeedforward: number;
    };

/** One canonical workload: network, global batch, input shape and classes. */
export interface Workload {
  id: 'W1' | 'W2' | 'W3' | 'W4';
  description: string;
  model: WorkloadModel;
  batchSize: number;
  /** The shape of one input sample. */
  featureShape: number[];
  numClasses: number;
  /** The shape of one sample's class targets: [] for one class per sample, [T] for one per position. */
  targetShape: number[];
}

/**
 * W1: MLP 784-256-128-10, batch 256; W2: MLP 784-1024-1024-10, batch 512; W3: the CNN, batch 128;
 * W4: the character-level transformer of `loom train --model char-transformer` on the English
 * first names (vocabulary 54, context 16, dModel 64, 4 heads, 2 pre-norm layers), batch 64.
 */
export const WORKLOADS: readonly Workload[] = [
  {
    id: 'W1',
    description: 'MLP 784-256-128-10',
    model: { kind: 'mlp', sizes: [784, 256, 128, 10] },
    batchSize: 256,
    featureShape: [784],
    numClasses: 10,
    targetShape: [],
  },
  {
    id: 'W2',
    description: 'MLP 784-1024-1024-10',
    model: { kind: 'mlp', sizes: [784, 1024, 1024, 10] },
    batchSize: 512,
    featureShape: [784],
    numClasses: 10,
    targetShape: [],
  },
  {
    id: 'W3',
    description: 'LeNet-style CNN on 1×28×28',
    model: { kind: 'cnn', inputShape: [1, 28, 28], numClasses: 10 },
    batchSize: 128,
    featureShape: [1, 28, 28],
    numClasses: 10,
    targetShape: [],
  },
  {
    id: 'W4',
    description: 'char-transformer, 2 layers of d 64 over 16 characters',
    model: { kind: 'char-transformer', vocabSize: 54, contextLength: 16, dModel: 64, nhead: 4, numLayers: 2, dimFeedforward: 256 },
    batchSize: 64,
    featureShape: [16],
    numClasses: 54,
    targetShape: [16],
  },
];

/** The workloads named by id, in canonical order; an unknown id throws. */
export function selectWorkloads(ids: readonly string[]): Workload[] {
  for (const id of ids) {
    if (!WORKLOADS.some((w) => w.id === id))
      throw new RangeError(`unknown workload '${id}' (known: ${WORKLOADS.map((w) => w.id).join(', ')})`);
  }
  return WORKLOADS.filter((w) => ids.includes(w.id));
}

/** Trainable parameters of a workload's network (weights and biases). */
export function parameterCount(w: Workload): number {
  if (w.model.kind === 'mlp') {
    let n = 0;
    for (let i = 0; i + 1 < w.model.sizes.length; i++) n += w.model.sizes[i]! * w.model.sizes[i + 1]! + w.model.sizes[i + 1]!;
    return n;
  }
  if (w.model.kind === 'char-transformer') {
    const { vocabSize: v, contextLength: t, dModel: d, dimFeedforward: f, numLayers } = w.model;
    // in_proj, out_proj, linear1, linear2 (weights and biases) and norm1, norm2 per layer.
    const layer = 3 * d * d + 3 * d + d * d + d + d * f + f + f * d + d + 4 * d;
    return v * d + t * d + numLayers * layer + 2 * d + d * v + v;
  }
  const [c, h, wd] = w.model.inputShape;
  const side = (x: number): number => Math.floor((Math.floor(x / 2) - 4) / 2);
  const flat = 16 * side(h) * side(wd);
  return c * 6 * 25 + 6 + 6 * 16 * 25 + 16 + flat * 120 + 120 + 120 * 84 + 84 + 84 * w.model.numClasses + w.model.numClasses;
}

/**
 * The fixed micro-batch of a workload: the batch cut into `chunks` equal pieces (at least one
 * sample each). The same micro-batch at every worker count keeps the arithmetic, and so the
 * results, identical across worker counts.
 */
export function microBatchOf(w: Workload, chunks: number): number {
  return Math.max(1, Math.floor(w.batchSize / chunks));
}

/** Chunks per batch: 16, or the largest worker count rounded up to a power of two if more. */
export function chunkCount(maxWorkers: number): number {
  let chunks = 16;
  while (chunks < maxWorkers) chunks *= 2;
  return chunks;
}

/**
 * A synthetic dataset of `batches` batches: normally distributed inputs (Box–Muller over a seeded
 * xorshift generator, so every system sees the same kind of data) — uniform token ids for the
 * transformer — and uniform class targets (one per position for the transformer).
 */
export function syntheticData(w: Workload, batches: number, seed = 0): { features: Float32Array; targets: Int32Array } {
  const n = w.batchSize * batches;
  const dim = w.featureShape.reduce((a, b) => a * b, 1);
  let state = (seed ^ 0x9e3779b9) >>> 0 || 1;
  const uniform = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return (state + 1) / 4294967297;
  };
  const features = new Float32Array(n * dim);
  for (let i = 0; i < features.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const t = 2 * Math.PI * uniform();
    features[i] = r * Math.cos(t);
    if (i + 1 < features.length) features[i + 1] = r * Math.sin(t);
  }
  if (w.model.kind === 'char-transformer')
    for (let i = 0; i < features.length; i++) features[i] = Math.floor(uniform() * w.model.vocabSize);
  const targets = new Int32Array(n * w.targetShape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < targets.length; i++) targets[i] = Math.floor(uniform() * w.numClasses);
  return { features, targets };
}
