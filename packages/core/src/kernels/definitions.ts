import { binaryJs } from './js/binary.js';
import { matmulJs } from './js/matmul.js';
import { defineKernel } from './registry.js';

/**
 * Every kernel by name, with its TypeScript reference. The WebAssembly module installs its
 * float32 implementations into these same objects.
 */
export const matmulKernel = defineKernel('matmul', matmulJs);
export const binaryKernel = defineKernel('binary', binaryJs);
