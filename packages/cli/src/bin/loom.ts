#!/usr/bin/env node
import { main } from '../main.js';

const code = await main(process.argv);
// Exit once stdout has drained: worker threads or a lingering handle must not keep the process alive.
process.stdout.write('', () => process.exit(code));
