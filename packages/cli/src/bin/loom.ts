#!/usr/bin/env node
import { main } from '../main.js';
import { quietStdout, stdoutClosed } from '../output/stdout.js';

// A reader that goes away (`loom train | head`): a running `loom train` stops as on Ctrl-C, with a
// checkpoint, quietly; any other command ends at once with the status of a process killed by
// SIGPIPE, instead of an EPIPE stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  if (!stdoutClosed()) process.exit(141);
});

const code = await main(process.argv);
// Exit once stdout has drained: worker threads or a lingering handle must not keep the process alive.
if (quietStdout()) process.exit(code);
else process.stdout.write('', () => process.exit(code));
