import { noGrad, tensor } from '@loom/core';
import { describe, expect, it } from 'vitest';
import { CharTransformer, DataParallelTrainer, textDataset } from '../dist/index.js';
import { stateHash } from './fixtures/synthetic.js';

const { dataset, vocabulary } = textDataset('the cat sat on the mat\n'.repeat(12), { contextLength: 8, stride: 3 });
const spec = { builtin: 'char-transformer', vocabSize: vocabulary.length, contextLength: 8, dModel: 16, nhead: 2, numLayers: 1 } as const;

function unigramEntropy(ids: number[]): number {
  const counts = new Map<number, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) h -= (c / ids.length) * Math.log(c / ids.length);
  return h;
}

async function train(workers: number): Promise<{ hash: string; before: number; after: number }> {
  const trainer = new DataParallelTrainer({
    model: spec,
    loss: { name: 'CrossEntropyLoss' },
    optimizer: { name: 'AdamW', options: { lr: 1e-2 } },
    scheduler: { name: 'CosineAnnealingLR', options: { TMax: 24 }, interval: 'step' },
    workers,
    batchSize: 32,
    microBatch: 8,
    seed: 3,
  });
  try {
    const before = (await trainer.evaluate(dataset)).loss;
    await trainer.fit(dataset, { epochs: 8 });
    const after = (await trainer.evaluate(dataset)).loss;
    return { hash: stateHash(await trainer.stateDict()), before, after };
  } finally {
    await trainer.close();
  }
}

describe('the char-transformer built-in trains on next-character windows ([N, V, T] logits, [N, T] targets)', () => {
  it('learns a repeated sentence, to the same bytes on 1 and 2 workers', async () => {
    const one = await train(1);
    const two = await train(2);
    expect(two).toEqual(one);
    // Untrained it is near chance, ln(vocabulary) ≈ 2.4; trained it beats the character frequencies
    // alone (their entropy, the best loss without context), so it uses the context.
    expect(one.before).toBeGreaterThan(2);
    expect(one.after).toBeLessThan(unigramEntropy(Array.from(dataset.targets)) - 0.5);
  });

  it('reads token ids [N, T ≤ contextLength], returns logits [N, vocabSize, T], and position t sees only positions ≤ t', () => {
    const model = new CharTransformer({ vocabSize: 5, contextLength: 4, dModel: 8, nhead: 2, numLayers: 1 });
    const a = noGrad(() => model.forward(tensor([[1, 2, 3, 4]])));
    const b = noGrad(() => model.forward(tensor([[1, 2, 0, 0]])));
    expect(a.shape).toEqual([1, 5, 4]);
    const column = (t: typeof a, pos: number): number[] => Array.from({ length: 5 }, (_, v) => t.contiguous().data()[v * 4 + pos]!);
    expect(column(b, 0)).toEqual(column(a, 0));
    expect(column(b, 1)).toEqual(column(a, 1));
    expect(column(b, 2)).not.toEqual(column(a, 2));
    expect(() => model.forward(tensor([[1, 2, 3, 4, 0]]))).toThrow('char-transformer: expected token ids [N, T] with 1 ≤ T ≤ 4, got [1,5]');
    expect(Object.keys(model.stateDict()).slice(0, 4)).toEqual([
      'token_embedding.weight',
      'position_embedding.weight',
      'encoder.layers.0.self_attn.in_proj_weight',
      'encoder.layers.0.self_attn.in_proj_bias',
    ]);
    expect(Object.keys(model.stateDict()).slice(-4)).toEqual(['encoder.norm.weight', 'encoder.norm.bias', 'head.weight', 'head.bias']);
  });
});
