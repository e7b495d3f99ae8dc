/**
 * The trainer's own worker: the page drives it through comlink. Its training workers load the
 * bundle of @loom/parallel's Web Worker that the build writes beside this file.
 */
import { exposeTrainer, setWorkerScript } from '@loom/parallel';

setWorkerScript(new URL('./loom-worker.js', import.meta.url));
exposeTrainer();
