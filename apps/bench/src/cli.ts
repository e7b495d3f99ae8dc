#!/usr/bin/env node
/** The bench's entry point: `node dist/cli.js --quick | --full`. */
import { runBench } from './run.js';

try {
  await runBench(process.argv.slice(2));
  // TF.js and finished worker pools can leave handles open; the report is written, so stop.
  process.exit(0);
} catch (error) {
  process.stderr.write(`loom-bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
