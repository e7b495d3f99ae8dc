/**
 * A hash table from non-negative int32 keys to int32 values, held in two typed arrays (open
 * addressing, linear probing, deletion by backward shift, so no tombstones).
 *
 * The allocator indexes its regions by offset in tables of tens of thousands of entries, and
 * inserts and deletes one per allocation. V8's Map leaves a deleted entry in place until it
 * rehashes the whole table, and at that size a set and a delete cost 15–20 µs (against about 1 µs
 * in a small Map): more than the plain training loop's whole allocation budget.
 */
export class IntTable {
  private keys: Int32Array;
  private values: Int32Array;
  private bits: number;
  private count = 0;

  constructor() {
    this.bits = 6;
    this.keys = new Int32Array(1 << this.bits).fill(-1);
    this.values = new Int32Array(1 << this.bits);
  }

  /** Entries in the table. */
  get size(): number {
    return this.count;
  }

  /**
   * The value stored for `key`, or -1 when there is none.
   * @param key - a non-negative int32.
   */
  get(key: number): number {
    const mask = this.keys.length - 1;
    for (let i = this.home(key); ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === key) return this.values[i]!;
      if (k === -1) return -1;
    }
  }

  /**
   * Stores `value` for `key`, replacing any value it had.
   * @param key - a non-negative int32.
   * @param value - any int32.
   */
  set(key: number, value: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    for (let i = this.home(key); ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === key || k === -1) {
        if (k === -1) this.count++;
        this.keys[i] = key;
        this.values[i] = value;
        return;
      }
    }
  }

  /**
   * Removes `key`; returns whether it was there.
   * @param key - a non-negative int32.
   */
  delete(key: number): boolean {
    const keys = this.keys;
    const mask = keys.length - 1;
    let hole = this.home(key);
    while (keys[hole] !== key) {
      if (keys[hole] === -1) return false;
      hole = (hole + 1) & mask;
    }
    // Move each later entry of the probe run whose home is not between the hole and it into the hole.
    for (let j = (hole + 1) & mask; keys[j] !== -1; j = (j + 1) & mask) {
      const home = this.home(keys[j]!);
      const between = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (between) continue;
      keys[hole] = keys[j]!;
      this.values[hole] = this.values[j]!;
      hole = j;
    }
    keys[hole] = -1;
    this.count--;
    return true;
  }

  /** The slot where `key`'s probe starts (Fibonacci hashing: the product's top bits). */
  private home(key: number): number {
    return Math.imul(key, 0x9e3779b1) >>> (32 - this.bits);
  }

  private grow(): void {
    const { keys, values } = this;
    this.bits++;
    this.keys = new Int32Array(1 << this.bits).fill(-1);
    this.values = new Int32Array(1 << this.bits);
    this.count = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== -1) this.set(keys[i]!, values[i]!);
  }
}
