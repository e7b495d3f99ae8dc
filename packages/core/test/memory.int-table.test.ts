import { describe, expect, it } from 'vitest';
import { IntTable } from '../src/memory/int-table.js';

describe('IntTable, the allocator’s offset index', () => {
  it('agrees with a Map over 200,000 random sets, gets and deletes (keys that collide included)', () => {
    const table = new IntTable();
    const reference = new Map<number, number>();
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 200_000; i++) {
      // Keys from a small range at first (dense runs, many deletions inside probe runs), then wider.
      const key = i < 100_000 ? random(3000) : random(2 ** 26);
      const op = random(3);
      if (op === 0) {
        table.set(key, i);
        reference.set(key, i);
      } else if (op === 1) {
        expect(table.delete(key)).toBe(reference.delete(key));
      } else expect(table.get(key)).toBe(reference.get(key) ?? -1);
      expect(table.size).toBe(reference.size);
    }
    for (const [key, value] of reference) expect(table.get(key)).toBe(value);
  });
});
