#!/usr/bin/env node
import { main } from '../main.js';

// A reader that goes away (`loom data inspect f.arrow | head -1`) ends the command quietly, with
// the status of a process killed by SIGPIPE, instead of an EPIPE stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(141);
  throw error;
});

const code = await main(process.argv);
// Exit once stdout has drained: worker threads or a lingering handle must not keep the process alive.
process.stdout.write('', () => process.exit(code));
