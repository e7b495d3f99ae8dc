/**
 * Installs the WebAssembly float32 implementations into the kernel registry (imported once by
 * src/index.ts for this side effect). Nothing loads here: each thread instantiates the module on
 * its first kernel call; if it cannot load (and LOOM_KERNELS is not 'wasm'), every kernel goes
 * back to its TypeScript reference.
 */
import { env } from '../../env.js';
import {
  adagradKernel,
  adamKernel,
  binaryKernel,
  centredSquaresKernel,
  col2imKernel,
  extremumRowsKernel,
  im2colKernel,
  logsumexpRowsKernel,
  matmulKernel,
  maxPool2x2Kernel,
  rmspropKernel,
  sgdKernel,
  softmaxRowsBackwardKernel,
  softmaxRowsKernel,
  softmaxXentRowsKernel,
  sumAxisKernel,
  sumSlotsKernel,
  unaryBackwardKernel,
  unaryKernel,
} from '../definitions.js';
import { sumSlotsWasm } from './allreduce.js';
import { binaryWasm } from './binary.js';
import { extremumRowsWasm } from './extrema.js';
import { col2imWasm, im2colWasm } from './im2col.js';
import { matmulWasm } from './matmul.js';
import { onWasmUnavailable } from './module.js';
import { maxPool2x2Wasm } from './pooling.js';
import { adagradWasm, adamWasm, rmspropWasm, sgdWasm } from './optim.js';
import { centredSquaresWasm, sumAxisWasm } from './reduce.js';
import { logsumexpRowsWasm, softmaxRowsBackwardWasm, softmaxRowsWasm, softmaxXentRowsWasm } from './softmax.js';
import { unaryBackwardWasm, unaryWasm } from './unary.js';

function install(on: boolean): void {
  matmulKernel.setWasm(on ? matmulWasm : null);
  binaryKernel.setWasm(on ? binaryWasm : null);
  sgdKernel.setWasm(on ? sgdWasm : null);
  adamKernel.setWasm(on ? adamWasm : null);
  rmspropKernel.setWasm(on ? rmspropWasm : null);
  adagradKernel.setWasm(on ? adagradWasm : null);
  sumSlotsKernel.setWasm(on ? sumSlotsWasm : null);
  sumAxisKernel.setWasm(on ? sumAxisWasm : null);
  centredSquaresKernel.setWasm(on ? centredSquaresWasm : null);
  unaryKernel.setWasm(on ? unaryWasm : null);
  unaryBackwardKernel.setWasm(on ? unaryBackwardWasm : null);
  softmaxRowsKernel.setWasm(on ? softmaxRowsWasm : null);
  softmaxRowsBackwardKernel.setWasm(on ? softmaxRowsBackwardWasm : null);
  logsumexpRowsKernel.setWasm(on ? logsumexpRowsWasm : null);
  softmaxXentRowsKernel.setWasm(on ? softmaxXentRowsWasm : null);
  im2colKernel.setWasm(on ? im2colWasm : null);
  maxPool2x2Kernel.setWasm(on ? maxPool2x2Wasm : null);
  col2imKernel.setWasm(on ? col2imWasm : null);
  extremumRowsKernel.setWasm(on ? extremumRowsWasm : null);
}

if (env.kernels !== 'js') {
  install(true);
  onWasmUnavailable(() => install(false));
}
