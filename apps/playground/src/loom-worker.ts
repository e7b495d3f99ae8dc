/** One training worker: @loom/parallel's Web Worker, bundled as its own script. */
import '@loom/parallel/web-worker';
