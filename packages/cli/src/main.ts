import { CommanderError } from 'commander';
import { debugEnabled } from './env.js';
import { ExitCode, errorLine, exitCodeOf } from './errors.js';
import { createProgram } from './program.js';

/**
 * Runs the `loom` command line (`argv` as in process.argv) and returns its exit status. Errors
 * are printed as one `loom: …` line on stderr (with the stack under LOOM_DEBUG=1), never thrown.
 * @param argv - the command line as in `process.argv`: the node binary, the script, then the arguments
 *   (`['node', 'loom', 'train', '--epochs', '3']`)
 */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = createProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed the message or help already.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? ExitCode.ok : ExitCode.usage;
    }
    process.stderr.write(`${errorLine(error)}\n`);
    if (debugEnabled()) process.stderr.write(stacks(error));
    return exitCodeOf(error);
  }
}

/** The stack of an error and of each error in its `cause` chain (a worker's error, with the worker's stack). */
function stacks(error: unknown): string {
  let text = '';
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    text += `${depth === 0 ? '' : 'caused by: '}${e.stack ?? `${e.name}: ${e.message}`}\n`;
  }
  return text;
}
