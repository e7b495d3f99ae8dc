// `node draw-curves.js RUN_DIR NAME`: draws a run's curves.svg, in a process of its own (see run/curves-file.ts).
import { writeCurves } from '../run/curves-file.js';

const [runDir, name] = process.argv.slice(2);
if (runDir === undefined || name === undefined) throw new Error('usage: draw-curves.js RUN_DIR NAME');
await writeCurves(runDir, name);
