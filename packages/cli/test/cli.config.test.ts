import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { eventsOf, freshDir, runLoom } from './helpers.js';

const sessionDir = inject('sessionDir');
const mnist2k = inject('mnist2k');

describe('loom train --config', () => {
  it('merges defaults < config file < flags, prints the resolved config and saves it with the run', async () => {
    const cwd = freshDir(sessionDir, 'config');
    mkdirSync(join(cwd, 'conf'));
    copyFileSync(mnist2k, join(cwd, 'conf', 'digits.arrow'));
    writeFileSync(
      join(cwd, 'conf', 'loom.json'),
      JSON.stringify({
        data: 'digits.arrow',
        epochs: 5,
        batchSize: 200,
        microBatch: 50,
        optimizer: { name: 'SGD', options: { lr: 0.05, momentum: 0.9 } },
      }),
    );
    const result = await runLoom(
      [
        'train',
        '--config',
        'conf/loom.json',
        '--epochs',
        '2',
        '--lr',
        '0.1',
        '--scheduler',
        'StepLR',
        '--step-size',
        '1',
        '--gamma',
        '0.5',
        '--out',
        'run',
      ],
      { sessionDir, cwd },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [start] = eventsOf(result.stdout, 'start');
    expect(start!.config).toEqual({
      data: join(cwd, 'conf', 'digits.arrow'), // relative to the config file
      features: null,
      target: 'label',
      model: 'mlp',
      inputShape: null,
      loss: { name: 'CrossEntropyLoss', options: {} },
      optimizer: { name: 'SGD', options: { lr: 0.1, momentum: 0.9 } },
      scheduler: { name: 'StepLR', options: { stepSize: 1, gamma: 0.5 }, interval: 'epoch' },
      epochs: 2,
      batchSize: 200,
      microBatch: 50,
      workers: expect.any(Number),
      seed: 0,
      valSplit: 0.1,
      l1: 0,
      l2: 0,
      clipGradNorm: null,
      onNan: 'stop',
    });
    expect(JSON.parse(readFileSync(join(cwd, 'run', 'config.json'), 'utf8'))).toEqual(start!.config);
    // StepLR halves the rate after each epoch.
    const rates = new Set(eventsOf(result.stdout, 'step').map((s) => `${s.epoch}:${s.lr}`));
    expect([...rates]).toEqual(['1:0.1', '2:0.05']);
  });

  it('refuses an unknown key in the config file', async () => {
    const cwd = freshDir(sessionDir, 'config-bad');
    writeFileSync(join(cwd, 'loom.json'), '{ "epochs": 2, "learningRate": 0.1 }');
    const result = await runLoom(['train', '--config', 'loom.json'], { sessionDir, cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^loom: config file .*loom\.json: unknown key 'learningRate'; the keys are data, features, /);
  });

  it('is strict with "did you mean", reads a file with a byte-order mark, and says where an optimizer option goes', async () => {
    const cwd = freshDir(sessionDir, 'config-strict');
    writeFileSync(join(cwd, 'typo.json'), '\uFEFF{ "epoch": 2 }');
    const typo = await runLoom(['train', '--config', 'typo.json'], { sessionDir, cwd });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown key 'epoch' \(did you mean 'epochs'\?\)/);
    writeFileSync(join(cwd, 'wd.json'), '\uFEFF{ "weight_decay": 0.01 }');
    const nested = await runLoom(['train', '--config', 'wd.json'], { sessionDir, cwd });
    expect(nested.stderr).toContain(`unknown key 'weight_decay' (did you mean { "optimizer": { "options": { "weightDecay": … } } }?)`);
    writeFileSync(join(cwd, 'opt.json'), '{ "optimizer": { "name": "SGD", "option": { "lr": 0.1 } } }');
    const inner = await runLoom(['train', '--config', 'opt.json'], { sessionDir, cwd });
    expect(inner.stderr).toMatch(/'optimizer' has unknown key 'option' \(did you mean 'options'\?\)/);
    expect([nested.code, inner.code]).toEqual([2, 2]);
  });
});
