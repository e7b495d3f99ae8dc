import { memoryContext } from '../../memory/context.js';

let offset = -1;
let capacity = 0;

/**
 * The byte offset of this thread's kernel scratch region (packing buffers, partial sums), grown
 * to at least `bytes`. One region per thread, kept between calls: kernels of several threads run
 * at once on one memory, so none of them may use a fixed address.
 */
export function scratch(bytes: number): number {
  if (bytes <= capacity) return offset;
  const allocator = memoryContext().allocator;
  const want = Math.max(bytes, capacity * 2, 1 << 16);
  if (offset >= 0) allocator.release(offset);
  offset = -1;
  capacity = 0;
  offset = allocator.alloc(want);
  capacity = want;
  return offset;
}
