/**
 * @loom/parallel: Arrow datasets in shared memory, samplers, and data-parallel training.
 * This is the Node entry (the `node` condition of the package's exports): worker threads through
 * piscina, Arrow files on disk, and MPI across processes. The browser entry is src/browser.ts.
 * @packageDocumentation
 */
import { nodePlatform } from './platform/node.js';
import { installPlatform } from './platform/platform.js';
import { createPool } from './trainer/pool.js';

installPlatform(nodePlatform(createPool));

export * from './common.js';
export { cacheDir } from './env.js';
// The built-in digits are read from (and cached in) files: Node only.
export {
  loadMnist,
  type LoadMnistOptions,
  mnistTable,
  writeMnistArrow,
  mnistCachePath,
  ensureMnistArrow,
  MNIST_FEATURES,
  MNIST_TARGET,
  MNIST_DIGITS,
} from './data/mnist.js';
export { MpiWorld, MpiClient, type Exchange } from './distributed/world.js';
export { autoDistributed, detectMpiLaunch, type MpiLaunch } from './distributed/launch.js';
export { finalizeMpi, processRank } from './trainer/ranks.js';
export { IN_PLACE, MPICH_ABI, type MpiElement } from './distributed/mpich-abi.js';
