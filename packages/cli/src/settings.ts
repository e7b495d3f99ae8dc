import { availableParallelism } from 'node:os';
import { resolveModelPath } from './model-spec.js';
import { resolvePath } from './paths.js';

/** How a setting's value is written on the command line and in a config file. */
export type ValueKind = 'number' | 'integer' | 'string' | 'switch' | 'numbers' | 'names' | 'json';

/**
 * One setting of `loom train`: its flag, where it lives in the run's config, its default and its
 * check. The command-line options, the config file's keys and types, the defaults and the checks
 * are all derived from this table, so a setting is added in one place.
 */
export interface Setting {
  /** The flag without dashes: `batch-size` (commander's key is its camelCase, `batchSize`). */
  flag: string;
  /** Commander's placeholder, `<n>`; absent for a switch. */
  arg?: string;
  kind: ValueKind;
  choices?: readonly string[];
  /**
   * Where the value lives in the run's config (`['optimizer', 'options', 'lr']`), or null for a
   * setting of this invocation only (where to write, how to print), which is not saved.
   */
  path: readonly string[] | null;
  default?: string | number | boolean;
  /** What the help says when the default is not a value. */
  defaultNote?: string;
  /** A problem with a value, as the message to print, or null. */
  check?: (value: never) => string | null;
  /** Paths become absolute: against the working directory (flags) or the config file's directory. */
  resolve?: (value: string, base?: string) => string;
  help: string;
  group: string;
}

const DATA = 'Data:';
const MODEL = 'Model:';
const OPTIMIZER = "Optimizer (options left unset take PyTorch's defaults):";
const SCHEDULER = "Scheduler (options left unset take PyTorch's defaults):";
const TRAINING = 'Training:';
const RUN = 'Run:';
const OUTPUT = 'Output:';

const positiveInteger = (flag: string) => (v: number) =>
  Number.isInteger(v) && v >= 1 ? null : `--${flag} must be a positive integer, got ${v}`;
const nonNegative = (flag: string) => (v: number) => (v >= 0 ? null : `--${flag} must be non-negative, got ${v}`);
/** PyTorch's own messages for the options every optimizer shares. */
const pytorchCheck = (what: string, flag: string) => (v: number) => (v >= 0 ? null : `Invalid ${what}: ${v} (--${flag})`);

// One row per setting, on one line each: the table reads as a table (kept out of prettier's line breaking).
// prettier-ignore
export const SETTINGS: readonly Setting[] = [
  { flag: 'data', arg: '<file.arrow>', kind: 'string', path: ['data'], defaultNote: 'built-in MNIST, 10,000 digits', resolve: resolvePath, help: 'Arrow IPC / Feather v2 file to train on', group: DATA },
  { flag: 'features', arg: '<columns>', kind: 'names', path: ['features'], defaultNote: 'every column but the target', help: 'feature columns, comma-separated', group: DATA },
  { flag: 'target', arg: '<column>', kind: 'string', path: ['target'], default: 'label', check: (v: string) => (v === '' ? '--target must name a column' : null), help: 'target column: class indices, class names (see loom data convert) or values', group: DATA },
  { flag: 'val-split', arg: '<fraction>', kind: 'number', path: ['valSplit'], default: 0.1, check: (v: number) => (v >= 0 && v < 1 ? null : `--val-split must be at least 0 and below 1, got ${v}`), help: 'fraction of rows held out for validation', group: DATA },

  { flag: 'model', arg: '<spec>', kind: 'string', path: ['model'], default: 'mlp', resolve: resolveModelPath, help: "'mlp' (input and output sizes from the data, hidden 256,128), 'mlp:IN,HIDDEN…,OUT', 'cnn' (LeNet-5 style), 'cnn-bn' (BatchNorm CNN), 'char-transformer[:dModel=64,nhead=4,numLayers=2]' (on loom data text), or an ES module './net.mjs#createModel'", group: MODEL },
  { flag: 'input-shape', arg: '<dims>', kind: 'numbers', path: ['inputShape'], defaultNote: 'flat; [1,H,W] for cnn, cnn-bn', help: 'shape of one sample as the model sees it, e.g. 1,28,28', group: MODEL },
  { flag: 'loss', arg: '<name>', kind: 'string', path: ['loss', 'name'], default: 'CrossEntropyLoss', help: 'loss by PyTorch class name', group: MODEL },
  { flag: 'loss-options', arg: '<json>', kind: 'json', path: ['loss', 'options'], help: 'loss options, e.g. \'{"labelSmoothing":0.1}\'', group: MODEL },

  { flag: 'optimizer', arg: '<name>', kind: 'string', path: ['optimizer', 'name'], default: 'Adam', help: 'optimizer by PyTorch class name (SGD, Adam, AdamW, RMSprop, …)', group: OPTIMIZER },
  { flag: 'optimizer-options', arg: '<json>', kind: 'json', path: ['optimizer', 'options'], help: 'any other optimizer options as JSON (unknown ones are refused)', group: OPTIMIZER },
  { flag: 'lr', arg: '<rate>', kind: 'number', path: ['optimizer', 'options', 'lr'], default: 1e-3, check: (v: number) => (v >= 0 ? null : `Invalid learning rate: ${v} (--lr must be a non-negative number)`), help: 'learning rate', group: OPTIMIZER },
  { flag: 'momentum', arg: '<m>', kind: 'number', path: ['optimizer', 'options', 'momentum'], check: pytorchCheck('momentum value', 'momentum'), help: 'momentum (SGD, RMSprop)', group: OPTIMIZER },
  { flag: 'dampening', arg: '<d>', kind: 'number', path: ['optimizer', 'options', 'dampening'], help: 'dampening for momentum (SGD)', group: OPTIMIZER },
  { flag: 'nesterov', kind: 'switch', path: ['optimizer', 'options', 'nesterov'], help: 'Nesterov momentum (SGD)', group: OPTIMIZER },
  { flag: 'weight-decay', arg: '<wd>', kind: 'number', path: ['optimizer', 'options', 'weightDecay'], check: pytorchCheck('weight_decay value', 'weight-decay'), help: 'weight decay', group: OPTIMIZER },
  {
    flag: 'betas',
    arg: '<b1,b2>',
    kind: 'numbers',
    path: ['optimizer', 'options', 'betas'],
    check: (v: number[]) =>
      v.length !== 2 ? `--betas must be two numbers B1,B2, got ${JSON.stringify(v)}` : v.map((b, i) => (b >= 0 && b < 1 ? null : `Invalid beta parameter at index ${i}: ${b} (--betas)`)).find((m) => m !== null) ?? null,
    help: 'coefficients of the running averages (Adam family)',
    group: OPTIMIZER,
  },
  { flag: 'eps', arg: '<eps>', kind: 'number', path: ['optimizer', 'options', 'eps'], check: pytorchCheck('epsilon value', 'eps'), help: 'term added to denominators for stability', group: OPTIMIZER },
  { flag: 'amsgrad', kind: 'switch', path: ['optimizer', 'options', 'amsgrad'], help: 'AMSGrad variant (Adam, AdamW)', group: OPTIMIZER },
  { flag: 'alpha', arg: '<a>', kind: 'number', path: ['optimizer', 'options', 'alpha'], help: 'smoothing constant (RMSprop)', group: OPTIMIZER },
  { flag: 'rho', arg: '<r>', kind: 'number', path: ['optimizer', 'options', 'rho'], help: 'running-average coefficient (Adadelta)', group: OPTIMIZER },
  { flag: 'l1', arg: '<lambda>', kind: 'number', path: ['l1'], default: 0, check: nonNegative('l1'), help: 'L1 penalty λ·Σ|w| added to the loss', group: OPTIMIZER },
  { flag: 'l2', arg: '<lambda>', kind: 'number', path: ['l2'], default: 0, check: nonNegative('l2'), help: 'L2 penalty λ·Σw² added to the loss', group: OPTIMIZER },
  { flag: 'clip-grad-norm', arg: '<max>', kind: 'number', path: ['clipGradNorm'], defaultNote: 'no clipping', check: (v: number) => (v > 0 ? null : `--clip-grad-norm must be positive, got ${v}`), help: 'clip the global gradient norm', group: OPTIMIZER },

  { flag: 'scheduler', arg: '<name>', kind: 'string', path: ['scheduler', 'name'], defaultNote: 'none', help: 'lr scheduler by PyTorch class name (StepLR, CosineAnnealingLR, OneCycleLR, ReduceLROnPlateau, …)', group: SCHEDULER },
  { flag: 'scheduler-options', arg: '<json>', kind: 'json', path: ['scheduler', 'options'], help: 'any other scheduler options as JSON', group: SCHEDULER },
  { flag: 'step-size', arg: '<epochs>', kind: 'integer', path: ['scheduler', 'options', 'stepSize'], help: 'period of decay (StepLR)', group: SCHEDULER },
  { flag: 'gamma', arg: '<g>', kind: 'number', path: ['scheduler', 'options', 'gamma'], help: 'decay factor (StepLR, MultiStepLR, ExponentialLR)', group: SCHEDULER },
  { flag: 'milestones', arg: '<list>', kind: 'numbers', path: ['scheduler', 'options', 'milestones'], help: 'epochs at which to decay (MultiStepLR)', group: SCHEDULER },
  { flag: 't-max', arg: '<n>', kind: 'integer', path: ['scheduler', 'options', 'TMax'], help: 'half-period (CosineAnnealingLR)', group: SCHEDULER },
  { flag: 'eta-min', arg: '<lr>', kind: 'number', path: ['scheduler', 'options', 'etaMin'], help: 'minimum lr (CosineAnnealingLR)', group: SCHEDULER },
  { flag: 'patience', arg: '<epochs>', kind: 'integer', path: ['scheduler', 'options', 'patience'], help: 'epochs without improvement before the lr drops (ReduceLROnPlateau)', group: SCHEDULER },
  { flag: 'factor', arg: '<f>', kind: 'number', path: ['scheduler', 'options', 'factor'], help: 'factor the lr drops by (ReduceLROnPlateau)', group: SCHEDULER },
  { flag: 'scheduler-interval', arg: '<when>', kind: 'string', choices: ['epoch', 'step'], path: ['scheduler', 'interval'], defaultNote: 'epoch', help: 'step the scheduler every epoch or every optimizer step', group: SCHEDULER },
  { flag: 'plateau-metric', arg: '<metric>', kind: 'string', choices: ['val-loss', 'val-accuracy', 'train-loss'], path: ['scheduler', 'metric'], defaultNote: 'val-loss', help: 'what ReduceLROnPlateau monitors, after validation (val-accuracy wants --scheduler-options \'{"mode":"max"}\')', group: SCHEDULER },

  { flag: 'epochs', arg: '<n>', kind: 'integer', path: ['epochs'], default: 10, check: positiveInteger('epochs'), help: 'epochs to train (in all, when resuming)', group: TRAINING },
  { flag: 'batch-size', arg: '<n>', kind: 'integer', path: ['batchSize'], default: 64, check: positiveInteger('batch-size'), help: 'samples per optimizer step', group: TRAINING },
  { flag: 'micro-batch', arg: '<n>', kind: 'integer', path: ['microBatch'], default: 32, check: positiveInteger('micro-batch'), help: 'samples per chunk (results are the same for any worker count)', group: TRAINING },
  { flag: 'workers', arg: '<n>', kind: 'integer', path: ['workers'], default: availableParallelism(), defaultNote: `${availableParallelism()}: every core`, check: positiveInteger('workers'), help: 'worker threads', group: TRAINING },
  { flag: 'seed', arg: '<n>', kind: 'integer', path: ['seed'], default: 0, check: (v: number) => (Number.isInteger(v) && v >= 0 ? null : `--seed must be a non-negative integer, got ${v}`), help: 'seed of initialisation, shuffling, split and dropout', group: TRAINING },
  { flag: 'on-nan', arg: '<what>', kind: 'string', choices: ['stop', 'skip'], path: ['onNan'], default: 'stop', help: 'a step whose loss is NaN or infinite: stop training (exit 1), or skip that step', group: TRAINING },
  { flag: 'step-timeout', arg: '<seconds>', kind: 'string', path: null, default: 'auto', check: (v: string) => (v === 'auto' || Number(v) > 0 ? null : `--step-timeout must be a number of seconds > 0 or 'auto', got ${v}`), help: 'the step watchdog: a step running longer ends the run (exit 1); auto = max(30 s, 20 × the median step)', group: TRAINING },

  { flag: 'config', arg: '<file>', kind: 'string', path: null, help: "JSON config (keys as in a run's config.json); flags override it", group: RUN },
  { flag: 'out', arg: '<dir>', kind: 'string', path: null, defaultNote: 'runs/YYYYMMDD-HHMMSS', help: 'run directory', group: RUN },
  { flag: 'overwrite', kind: 'switch', path: null, help: 'replace the loom run in --out (kept until the new run has its first checkpoint)', group: RUN },
  { flag: 'resume', arg: '[dir]', kind: 'string', path: null, help: 'continue the run in --out (or DIR) from its latest checkpoint', group: RUN },
  { flag: 'keep-checkpoints', arg: '<n>', kind: 'integer', path: null, default: 3, check: positiveInteger('keep-checkpoints'), help: 'checkpoints kept: the newest N, and the best by validation loss', group: RUN },

  { flag: 'format', arg: '<format>', kind: 'string', choices: ['text', 'json'], path: null, defaultNote: 'a progress bar on a terminal, else text', help: 'text: a line per epoch (and per --log-every steps); json: JSON Lines, one object per event', group: OUTPUT },
  { flag: 'json', kind: 'switch', path: null, help: 'the same as --format json', group: OUTPUT },
  { flag: 'log-every', arg: '<steps>', kind: 'integer', path: null, defaultNote: 'text: 100, json: 1', check: positiveInteger('log-every'), help: 'print a step line every N steps (metrics.jsonl gets every step)', group: OUTPUT },
];

/** Commander's key of a flag: `batch-size` → `batchSize`. */
export function flagKey(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The setting of a flag. */
export function settingOf(flag: string): Setting {
  const setting = SETTINGS.find((s) => s.flag === flag);
  if (!setting) throw new Error(`no setting --${flag}`);
  return setting;
}

/** The config keys a config file may hold: the first step of every setting's path. */
export function configKeys(): string[] {
  return [...new Set(SETTINGS.flatMap((s) => (s.path ? [s.path[0]!] : [])))];
}

/** Reads the value at a path of a nested object, or undefined. */
export function getPath(object: unknown, path: readonly string[]): unknown {
  let value = object;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Sets the value at a path, creating the objects on the way. */
export function setPath(object: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let at = object;
  for (const key of path.slice(0, -1)) {
    if (at[key] === null || typeof at[key] !== 'object') at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[path[path.length - 1]!] = value;
}

/** Why a value is not of its setting's kind (as a config file would hold it), or null. */
export function kindProblem(setting: Setting, value: unknown): string | null {
  const expected: Record<ValueKind, [string, (v: unknown) => boolean]> = {
    number: ['a number', (v) => typeof v === 'number' && Number.isFinite(v)],
    integer: ['an integer', (v) => typeof v === 'number' && Number.isInteger(v)],
    string: ['a string', (v) => typeof v === 'string'],
    switch: ['true or false', (v) => typeof v === 'boolean'],
    numbers: ['a list of numbers', (v) => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x))],
    names: ['a list of column names', (v) => Array.isArray(v) && v.every((x) => typeof x === 'string')],
    json: ['an object', (v) => v !== null && typeof v === 'object' && !Array.isArray(v)],
  };
  const [what, ok] = expected[setting.kind];
  if (!ok(value)) return `must be ${what}, got ${JSON.stringify(value)}`;
  if (setting.choices && !setting.choices.includes(value as string))
    return `must be one of ${setting.choices.join(', ')}, got ${JSON.stringify(value)}`;
  return null;
}
