/**
 * Installs the native BLAS matmul into the kernel registry (imported once by src/index.ts for
 * this side effect). Nothing loads here: each thread looks for its CBLAS on its first matmul; if
 * none loads under LOOM_BLAS=auto, matmul goes back to the WebAssembly kernel for good.
 */
import { env } from '../../env.js';
import { matmulKernel } from '../definitions.js';
import { onBlasUnavailable } from './library.js';
import { matmulBlas } from './matmul.js';

if (env.blas.mode !== 'off' && env.kernels !== 'js') {
  matmulKernel.setBlas(matmulBlas);
  onBlasUnavailable(() => matmulKernel.setBlas(null));
}
