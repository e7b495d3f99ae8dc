import type { PortableState } from '@loom/parallel';

/**
 * SHA-256 of every tensor of a trainer state, names in sorted order, each name's UTF-8 bytes then
 * its elements' bytes: the same definition as the trainer tests' `stateHash`, so a state trained
 * in the page and one trained in Node compare bit for bit.
 */
export async function stateHash(state: PortableState): Promise<string> {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const name of Object.keys(state.tensors).sort()) {
    const { data } = state.tensors[name]!;
    parts.push(encoder.encode(name), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
