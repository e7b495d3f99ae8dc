import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { type LoomResult, eventsOf, freshDir, runLoom } from './helpers.js';

const sessionDir = inject('sessionDir');
const mnist2k = inject('mnist2k');
const models = fileURLToPath(new URL('./fixtures/models.mjs', import.meta.url));

/** One `loom: …` line on stderr matching `message`, no stack trace, and the exit status. */
function expectOneLine(result: LoomResult, code: number, message: RegExp | string): void {
  expect(result.stderr).toMatch(/^loom: [^\n]*\n$/);
  if (typeof message === 'string') expect(result.stderr).toBe(`loom: ${message}\n`);
  else expect(result.stderr).toMatch(message);
  expect(result.code).toBe(code);
}

describe('bad input: one clear line on stderr, exit status 2, and no run written', () => {
  const cases: [string, string[], RegExp | string][] = [
    ['an unknown flag, with the nearest suggested', ['--lrr', '0.1'], "unknown option '--lrr' (did you mean --lr?)"],
    ['an unknown command, with the nearest suggested', [], "unknown command 'trian' (did you mean train?)"],
    ['a negative learning rate', ['--lr', '-0.1'], 'Invalid learning rate: -0.1 (--lr must be a non-negative number)'],
    ['a value that is not a number', ['--epochs', 'many'], "option '--epochs <n>' argument 'many' is invalid. expected a number."],
    ['a missing data file', ['--data', 'no-such.arrow'], 'no such data file: no-such.arrow'],
    [
      'a target column that is not there',
      ['--data', mnist2k, '--target', 'digit'],
      /^loom: no column 'digit' in .*mnist-2k\.arrow; available columns: pixels \(FixedSizeList\[784\]<Float32>\), label \(Int32\)\n$/,
    ],
    ['a feature column that is not there', ['--data', mnist2k, '--features', 'pixels,ink'], /no column 'ink' in /],
    [
      'an MLP whose output size is not the number of classes',
      ['--data', mnist2k, '--model', 'mlp:784,64,5'],
      "model mlp:784,64,5 has 5 outputs but the target 'label' has 10 classes",
    ],
    [
      'an MLP whose input size is not the number of features',
      ['--data', mnist2k, '--model', 'mlp:100,10'],
      /^loom: model mlp:100,10 takes 100 inputs but the data has 784 feature values per row/,
    ],
    [
      'a model module whose output size is not the number of classes',
      ['--data', mnist2k, '--model', `${models}#createSevenWayModel`],
      /outputs \[1,7\] for one row but the target 'label' has 10 classes; expected \[1,10\]\n$/,
    ],
    [
      'a model module without that export',
      ['--data', mnist2k, '--model', `${models}#createNothing`],
      /has no function export 'createNothing' \(exports: createLoopingModel, createModel, createSevenWayModel, createThrowingModel\)/,
    ],
    ['an unknown optimizer', ['--data', mnist2k, '--optimizer', 'Adamm'], /unknown optimizer 'Adamm'/],
    [
      'optimizer options in PyTorch spelling',
      ['--data', mnist2k, '--optimizer-options', '{"weight_decay":0.1}'],
      /Adam: unknown option 'weight_decay' \(did you mean 'weightDecay'\?\)/,
    ],
    [
      'an unknown optimizer option',
      ['--data', mnist2k, '--optimizer-options', '{"lrr":0.1}'],
      /Adam: unknown option 'lrr' \(did you mean 'lr'\?\); known options: lr, betas, eps, weightDecay, amsgrad, maximize/,
    ],
    [
      'SparseAdam, which the data-parallel trainer cannot run exactly',
      ['--data', mnist2k, '--optimizer', 'SparseAdam'],
      /SparseAdam updates only the rows a sparse gradient holds/,
    ],
    [
      'a misspelt scheduler option',
      ['--data', mnist2k, '--scheduler', 'StepLR', '--scheduler-options', '{"step_size":2}'],
      /StepLR: unknown option 'step_size' \(did you mean 'stepSize'\?\)/,
    ],
    ['a loss that does not fit the targets', ['--data', mnist2k, '--loss', 'MSELoss'], /target must be a floating-point tensor/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const cwd = freshDir(sessionDir, 'bad');
      const command = what.startsWith('an unknown command') ? ['trian'] : ['train', ...args, '--out', 'run'];
      const result = await runLoom(command, { sessionDir, cwd });
      expectOneLine(result, 2, message);
      expect(existsSync(join(cwd, 'run'))).toBe(false);
    });
  }

  it('data mnist --limit beyond the 10,000 digits there are (it wrote 10,000 without a word)', async () => {
    const cwd = freshDir(sessionDir, 'mnist-limit');
    const result = await runLoom(['data', 'mnist', '--out', 'd.arrow', '--limit', '20000'], { sessionDir, cwd });
    expectOneLine(result, 2, '--limit must be an integer from 1 to 10000 (the digits there are), got 20000');
    expect(existsSync(join(cwd, 'd.arrow'))).toBe(false);
  });

  it('exits with status 1 when training itself fails', async () => {
    const cwd = freshDir(sessionDir, 'diverge');
    // A learning rate of 1e30 overflows the weights on the first update: the second loss is not finite.
    const result = await runLoom(['train', '--data', mnist2k, '--optimizer', 'SGD', '--lr', '1e30', '--out', 'run'], { sessionDir, cwd });
    expectOneLine(result, 1, /^loom: training stopped: the loss is (NaN|Infinity) at step 2 \(epoch 1, batch 2\);/);
    expect(eventsOf(result.stdout, 'step').map((e) => e.step)).toEqual([1]);
  });
});
