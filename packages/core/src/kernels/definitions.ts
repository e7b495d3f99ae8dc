import { binaryJs } from './js/binary.js';
import { col2imJs, im2colJs } from './js/im2col.js';
import { matmulJs } from './js/matmul.js';
import { defineKernel } from './registry.js';

/**
 * Every kernel by name, with its TypeScript reference. The WebAssembly module installs its
 * float32 implementations into these same objects.
 */
export const matmulKernel = defineKernel('matmul', matmulJs);
export const binaryKernel = defineKernel('binary', binaryJs);
export const im2colKernel = defineKernel('im2col', im2colJs);
export const col2imKernel = defineKernel('col2im', col2imJs);
