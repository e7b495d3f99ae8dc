import { describe, it } from 'vitest';
import { Embedding } from '../src/index.js';
import { checkModuleCase, constructorArgs, moduleCases } from './fixtures/module-cases.js';

describe('Embedding matches PyTorch (modules.json, float64, 1e-9)', () => {
  it.each(moduleCases(['Embedding']).map((c) => [c.id, c] as const))('%s', (_, c) => {
    checkModuleCase(c, (c) => {
      const [[n, d], rest] = constructorArgs(c.options, ['num_embeddings', 'embedding_dim']);
      return new Embedding(n as number, d as number, rest);
    });
  });
});
