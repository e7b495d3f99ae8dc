import { describe, expect, it } from 'vitest';
import { parseCli } from '../src/args.js';

describe('command line', () => {
  it('defaults to the quick study over 1, 2, 4, … workers, every workload and peer', () => {
    const c = parseCli([], 4)!;
    expect(c.mode).toBe('quick');
    expect(c.workers).toEqual([1, 2, 4]);
    expect(c.workloads).toEqual(['W1', 'W2', 'W3', 'W4']);
    expect(c.peers).toEqual(['tfjs-wasm', 'tfjs-cpu', 'pytorch']);
    expect(c.micro).toBe(true);
    expect(c.out).toBeNull();
  });

  it('takes --chunks, at least the largest worker count, and names what is wrong otherwise', () => {
    expect(parseCli([], 2)!.chunks).toBeUndefined();
    expect(parseCli(['--workers', '1,2', '--chunks', '2'], 2)!.chunks).toBe(2);
    expect(() => parseCli(['--workers', '1,2', '--chunks', '1'], 2)).toThrow(
      '--chunks 1 leaves workers idle: it must be at least the largest worker count (2)',
    );
    expect(() => parseCli(['--chunks', '0'], 2)).toThrow("--chunks takes an integer ≥ 1, got '0'");
  });

  it('takes --full, --out, --workers, --workloads, --peers, --python and protocol overrides', () => {
    const c = parseCli(
      [
        '--full',
        '--out',
        'x',
        '--workers',
        '4,1,2',
        '--workloads',
        'w1,W3',
        '--peers',
        'pytorch',
        '--python',
        '/usr/bin/python3',
        '--no-micro',
        '--steps',
        '3',
        '--repeats',
        '2',
        '--warmup',
        '0',
        '--warmup-ms',
        '500',
      ],
      16,
    )!;
    expect(c.mode).toBe('full');
    expect(c.out).toBe('x');
    expect(c.workers).toEqual([1, 2, 4]);
    expect(c.workloads).toEqual(['W1', 'W3']);
    expect(c.peers).toEqual(['pytorch']);
    expect(c.pythons).toEqual(['/usr/bin/python3']);
    expect(c.micro).toBe(false);
    expect(c.protocol).toMatchObject({ steps: 3, repeats: 2, warmupSteps: 0, warmupMs: 500 });
  });

  it('runs no peer with --peers none, and returns null for --help', () => {
    expect(parseCli(['--peers', 'none'], 2)!.peers).toEqual([]);
    expect(parseCli(['--help'], 2)).toBeNull();
  });

  it('refuses what it cannot run, naming the option', () => {
    expect(() => parseCli(['--quick', '--full'], 2)).toThrow(/choose one of --quick, --full, --smoke/);
    expect(() => parseCli(['--workers', '0,2'], 2)).toThrow(/--workers takes a comma-separated list of positive integers, got '0,2'/);
    expect(() => parseCli(['--peers', 'jax'], 2)).toThrow(/unknown peer 'jax'/);
    expect(() => parseCli(['--steps', '0'], 2)).toThrow(/--steps takes an integer ≥ 1, got '0'/);
    expect(() => parseCli(['--bogus'], 2)).toThrow(/bogus/);
  });
});
