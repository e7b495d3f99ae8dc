/**
 * The unary op table's SIMD kernels against their TypeScript reference loops, one thread:
 * nanoseconds per element of forward and backward over 65,536 float32 elements, for every op
 * whose table entry has a SIMD direction.
 *
 *   pnpm --filter @loom/core build && node packages/core/bench/unary.mjs [--quick]
 */
import { Bench } from 'tinybench';
import { Tensor, kernelInfo } from '../dist/index.js';
import { UNARY_OPS } from '../dist/kernels/js/unary.js';
import { unaryBackwardWasm, unaryWasm } from '../dist/kernels/wasm/unary.js';

const quick = process.argv.includes('--quick');
const n = 1 << 16;
/** Parameters each op is measured with (its defaults in PyTorch). */
const PARAMS = { leakyRelu: [0.01, 0], clamp: [-1, 1], hardtanh: [-1, 1], softplus: [1, 20], elu: [1, 0] };

function filled(fill) {
  const t = Tensor.empty([n], 'float32');
  const d = t.data();
  for (let i = 0; i < n; i++) d[i] = fill(i);
  return d;
}

const x = filled((i) => Math.sin(i * 12.9898) * 6);
const y = filled(() => 0);
const g = filled((i) => Math.cos(i * 78.233));
const gi = filled(() => 0);
const bench = new Bench({ time: quick ? 100 : 500, warmupTime: 50 });
const ops = Object.entries(UNARY_OPS).filter(([, e]) => e.simd.forward || e.simd.backward);
for (const [op, entry] of ops) {
  const [p0, p1] = PARAMS[op] ?? [0, 0];
  if (op === 'log' || op === 'sqrt') for (let i = 0; i < n; i++) x[i] = Math.abs(x[i]) + 0.1;
  entry.forward(n, x, 0, y, 0, p0, p1);
  bench.add(`${op} forward js`, () => entry.forward(n, x, 0, y, 0, p0, p1));
  bench.add(`${op} forward wasm`, () => unaryWasm(op, n, x, 0, y, 0, p0, p1));
  bench.add(`${op} backward js`, () => entry.backward(n, x, 0, y, 0, g, 0, gi, 0, p0, p1));
  bench.add(`${op} backward wasm`, () => unaryBackwardWasm(op, n, x, 0, y, 0, g, 0, gi, 0, p0, p1));
}
await bench.run();
const ns = Object.fromEntries(bench.tasks.map((t) => [t.name, (t.result.latency.p50 * 1e6) / n]));
console.log(`backend ${kernelInfo().backend}, ns/element (median), n = ${n}`);
console.log('| op | forward js | forward wasm | backward js | backward wasm |\n|---|---:|---:|---:|---:|');
for (const [op] of ops) {
  const f = (k) => ns[`${op} ${k}`].toFixed(2);
  console.log(`| ${op} | ${f('forward js')} | ${f('forward wasm')} | ${f('backward js')} | ${f('backward wasm')} |`);
}
