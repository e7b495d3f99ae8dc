import { parseArgs } from 'node:util';
import { PEERS, type PeerName, preset, type StudyConfig } from './config.js';
import { WORKLOADS } from './scaling/workloads.js';

/** The CLI's help text. */
export const USAGE = `loom-bench: Loom's micro-benchmarks and scaling study beside TensorFlow.js and PyTorch.

Usage: node dist/cli.js [--quick | --full | --smoke] [options]

  --quick              a few minutes on 2 cores (default; \`pnpm bench\`)
  --full               the whole study (\`pnpm bench:full\`)
  --smoke              one step of everything, for tests
  --check-barrier      only check, in seconds, that training steps pass the workers'
                       barrier at every worker count (what bench:pack's run.sh does first)
  --out DIR            write results.json, results.md and scaling.svg into DIR
                       (default: results/<date>-<host>)
  --workers 1,2,4      worker counts (default: 1, 2, 4, … up to every core)
  --workloads W1,W3    workloads (default: ${WORKLOADS.map((w) => w.id).join(',')})
  --peers LIST         ${PEERS.join(',')} or none (default: all)
  --python PATH        Python with torch for the PyTorch peer (also LOOM_BENCH_PYTHON;
                       default: python3, then /usr/bin/python3)
  --chunks N           micro-batches per batch at every worker count (default: 16, or the
                       largest worker count rounded up to a power of two if more); fewer,
                       larger chunks run matmul faster but leave workers beyond N idle, and
                       no projection is drawn
  --no-micro           skip the micro-benchmarks
  --warmup N --steps N --repeats N   override the timing protocol
  --warmup-ms N        warm up for at least N ms too (quick: 2000, full: 3000)
  --help`;

function positiveInts(name: string, value: string): number[] {
  const list = value.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new RangeError(`--${name} takes a comma-separated list of positive integers, got '${value}'`);
  }
  return list;
}

function count(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new RangeError(`--${name} takes an integer ≥ ${min}, got '${value}'`);
  return n;
}

/** The run the command line asks for, or null for --help. Unknown or malformed options throw. */
export function parseCli(argv: readonly string[], cores: number): StudyConfig | null {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      quick: { type: 'boolean' },
      full: { type: 'boolean' },
      smoke: { type: 'boolean' },
      'check-barrier': { type: 'boolean' },
      out: { type: 'string' },
      workers: { type: 'string' },
      workloads: { type: 'string' },
      peers: { type: 'string' },
      python: { type: 'string' },
      'no-micro': { type: 'boolean' },
      chunks: { type: 'string' },
      warmup: { type: 'string' },
      'warmup-ms': { type: 'string' },
      steps: { type: 'string' },
      repeats: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return null;
  const modes = (['quick', 'full', 'smoke'] as const).filter((m) => values[m]);
  if (modes.length > 1) throw new RangeError(`choose one of --quick, --full, --smoke (got --${modes.join(', --')})`);
  const c = preset(modes[0] ?? 'quick', cores);
  if (values.out !== undefined) c.out = values.out;
  if (values.workers !== undefined) c.workers = [...new Set(positiveInts('workers', values.workers))].sort((a, b) => a - b);
  if (values.workloads !== undefined) c.workloads = values.workloads.split(',').map((s) => s.trim().toUpperCase());
  if (values.peers !== undefined) {
    const list = values.peers === 'none' ? [] : values.peers.split(',').map((s) => s.trim());
    const unknown = list.filter((p) => !(PEERS as readonly string[]).includes(p));
    if (unknown.length > 0) throw new RangeError(`--peers: unknown peer '${unknown.join("', '")}' (known: ${PEERS.join(', ')}, none)`);
    c.peers = list as PeerName[];
  }
  if (values.python !== undefined) c.pythons = [values.python];
  if (values['check-barrier']) c.checkBarrier = true;
  if (values['no-micro']) c.micro = false;
  const chunks = count('chunks', values.chunks, 1);
  if (chunks !== undefined) {
    const most = Math.max(...c.workers);
    if (chunks < most)
      throw new RangeError(`--chunks ${chunks} leaves workers idle: it must be at least the largest worker count (${most})`);
    c.chunks = chunks;
  }
  c.protocol = {
    ...c.protocol,
    warmupSteps: count('warmup', values.warmup, 0) ?? c.protocol.warmupSteps,
    warmupMs: count('warmup-ms', values['warmup-ms'], 0) ?? c.protocol.warmupMs,
    steps: count('steps', values.steps, 1) ?? c.protocol.steps,
    repeats: count('repeats', values.repeats, 1) ?? c.protocol.repeats,
  };
  return c;
}
