/**
 * Sums gradient slots element-wise into slot 0 over [start, end), in one fixed binary-tree
 * order: at level s, slot i += slot i+s for every i that is a multiple of 2s. The order depends
 * only on the number of slots (the micro-batches of the global batch), never on which thread
 * reduces which slice, so any number of workers gives bit-identical sums.
 *
 * `slots` views the whole slot region: slot k starts at element k·stride.
 */
export function reduceSlots(slots: Float32Array, stride: number, count: number, start: number, end: number): void {
  for (let s = 1; s < count; s *= 2) {
    for (let i = 0; i + s < count; i += 2 * s) {
      const dst = i * stride;
      const src = (i + s) * stride;
      for (let e = start; e < end; e++) slots[dst + e] = slots[dst + e]! + slots[src + e]!;
    }
  }
}
