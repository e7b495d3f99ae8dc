import { describe, expect, inject, it } from 'vitest';
import { runLoom } from './helpers.js';

const sessionDir = inject('sessionDir');

describe('loom --help', () => {
  it('lists the commands', async () => {
    const result = await runLoom(['--help'], { sessionDir });
    expect(result.code).toBe(0);
    for (const command of ['train', 'eval', 'plot', 'data']) expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('lists every train option with its default', async () => {
    const result = await runLoom(['train', '--help'], { sessionDir });
    expect(result.code).toBe(0);
    const help = result.stdout.replace(/\s+/g, ' ');
    const defaults: [string, string][] = [
      ['--data <file.arrow>', 'built-in MNIST, 10,000 digits'],
      ['--features <columns>', 'every column but the target'],
      ['--target <column>', '"label"'],
      ['--model <spec>', '"mlp"'],
      ['--loss <name>', '"CrossEntropyLoss"'],
      ['--optimizer <name>', '"Adam"'],
      ['--lr <rate>', '0.001'],
      ['--scheduler <name>', 'none'],
      ['--epochs <n>', '10'],
      ['--batch-size <n>', '64'],
      ['--micro-batch <n>', '32'],
      ['--seed <n>', '0'],
      ['--val-split <fraction>', '0.1'],
      ['--l1 <lambda>', '0'],
      ['--l2 <lambda>', '0'],
      ['--clip-grad-norm <max>', 'no clipping'],
      ['--out <dir>', 'runs/YYYYMMDD-HHMMSS'],
    ];
    for (const [flag, value] of defaults) {
      const at = help.indexOf(flag);
      expect(at, flag).toBeGreaterThanOrEqual(0);
      expect(help.slice(at, help.indexOf(' --', at + flag.length)), flag).toContain(`(default: ${value})`);
    }
    expect(help).toMatch(/--workers <n> worker threads \(default: \d+: every core\)/);
    for (const [flag, value] of [
      ['--keep-checkpoints <n>', '3'],
      ['--on-nan <what>', '"stop"'],
      ['--step-timeout <seconds>', '"auto"'],
      ['--log-every <steps>', 'text: 100, json: 1'],
    ] as const) {
      expect(help.slice(help.indexOf(flag), help.indexOf(' --', help.indexOf(flag) + flag.length)), flag).toContain(`default: ${value})`);
    }
    for (const flag of [
      '--input-shape',
      '--momentum',
      '--weight-decay',
      '--config',
      '--resume',
      '--overwrite',
      '--json',
      '--format <format>',
      '--plateau-metric',
    ]) {
      expect(help).toContain(flag);
    }
  });

  it('lists the options of eval and the data commands', async () => {
    const [evalHelp, inspectHelp, convertHelp, mnistHelp] = await Promise.all(
      [['eval'], ['data', 'inspect'], ['data', 'convert'], ['data', 'mnist']].map((c) => runLoom([...c, '--help'], { sessionDir })),
    );
    expect(evalHelp!.stdout).toContain('--run <dir>');
    expect(inspectHelp!.stdout).toContain('Usage: loom data inspect [options] <file>');
    expect(convertHelp!.stdout).toContain('(default: ",")');
    expect(mnistHelp!.stdout).toContain('(default: all 10,000)');
  });
});
