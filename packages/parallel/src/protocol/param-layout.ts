import type { Shape } from '@loom/core';

/**
 * Every parameter starts on a 16-float (64-byte) boundary of the flat vector, so that each
 * parameter's slice is aligned for SIMD and no two parameters share a cache line.
 */
export const PARAM_ALIGN = 16;

/** Where one named parameter sits in the flat parameter vector. */
export interface ParamEntry {
  readonly name: string;
  readonly shape: Shape;
  /** Element offset of the parameter in the flat vector. */
  readonly offset: number;
  readonly numel: number;
}

/**
 * The layout shared by the flat parameter vector, each gradient slot and each optimizer state
 * buffer: the same element offsets in all of them, so reductions and updates are loops over the
 * same slice of every buffer.
 */
export interface ParamLayout {
  readonly entries: readonly ParamEntry[];
  /** Elements in the flat vector, padding included. */
  readonly length: number;
}

/**
 * Packs named parameter shapes into one flat layout, in the given order.
 * @param params - each parameter's name and shape, in the order they are packed (the model's `namedParameters()` order)
 */
export function planLayout(params: readonly { name: string; shape: Shape }[]): ParamLayout {
  let offset = 0;
  const entries = params.map(({ name, shape }) => {
    const numel = shape.reduce((n, d) => n * d, 1);
    const entry = { name, shape: [...shape], offset, numel };
    offset += Math.ceil(numel / PARAM_ALIGN) * PARAM_ALIGN;
    return entry;
  });
  return { entries, length: offset };
}

/**
 * Cuts [0, length) into `parts` slices on PARAM_ALIGN boundaries, as evenly as possible. The
 * update of element i never depends on another element (LBFGS aside), so any cut gives the same
 * bits; aligned cuts keep SIMD loops whole.
 * @param length - the flat vector's length in elements (a layout's `length`)
 * @param parts - how many slices are wanted; fewer come back when there are fewer aligned blocks (at least one)
 */
export function planSlices(length: number, parts: number): [number, number][] {
  const blocks = Math.ceil(length / PARAM_ALIGN);
  const n = Math.max(1, Math.min(parts, blocks));
  const slices: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const start = Math.floor((blocks * i) / n) * PARAM_ALIGN;
    const end = Math.min(length, Math.floor((blocks * (i + 1)) / n) * PARAM_ALIGN);
    if (end > start) slices.push([start, end]);
  }
  return slices;
}
