import { Generator, type Module } from '@loom/core';

/**
 * A seed for the randomness of (step, chunk, k) — dropout masks — derived from the trainer seed
 * alone, so a chunk draws the same numbers whichever thread runs it.
 */
export function chunkSeed(seed: number, step: number, chunk: number, k: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b);
  for (const v of [step, chunk, k]) {
    h = Math.imul(h ^ (v >>> 0), 0xc2b2ae35);
    h ^= h >>> 15;
  }
  return (h >>> 0) + 2 ** 32 * ((seed >>> 0) & 0x1fffff);
}

/** The generator a module draws random numbers from (dropout's), or null. */
export function generatorOf(module: Module): Generator | null {
  const g = (module as { generator?: unknown }).generator;
  return g instanceof Generator ? g : null;
}
