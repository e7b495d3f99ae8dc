import type { Tensor } from '@loom/core';
import type { ParamEntry, ParamLayout } from '../protocol/param-layout.js';

/** The first format of a saved trainer state: each optimizer buffer one flat, padded vector. */
export const V1_FORMAT = 'loom-trainer-v1';

/**
 * The alignment v1 states were padded with: each parameter started on a multiple of 16 floats.
 * Fixed here, not taken from the trainer's current layout, so a change of the trainer's
 * alignment never orphans a saved run.
 */
const V1_ALIGN = 16;

/** One parameter's values of a v1 flat optimizer buffer (`optimizer.<buffer>`, padded as v1 was). */
export function readV1OptimizerBuffer(flat: Tensor, layout: ParamLayout, entry: ParamEntry, buffer: string): Float32Array {
  let offset = 0;
  let length = 0;
  for (const e of layout.entries) {
    if (e === entry) offset = length;
    length += Math.ceil(e.numel / V1_ALIGN) * V1_ALIGN;
  }
  if (flat.numel !== length) {
    throw new Error(`loadStateDict: the v1 optimizer buffer ${buffer} holds ${flat.numel} values, this model's layout needs ${length}`);
  }
  return (flat.contiguous().to('float32').data() as Float32Array).slice(offset, offset + entry.numel);
}
