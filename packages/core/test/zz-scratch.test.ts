import { it } from 'vitest';
import { randn, contiguous, exp, softmax, max, variance } from '../src/index.js';
import { denseCopy } from '../src/ops/elementwise-internal.js';
it('perf', () => {
  for (const dt of ['float32', 'float64'] as const) {
    const x = randn([1024, 1024], { dtype: dt });
    const xt = x.t();
    const y = randn([64, 128, 128], { dtype: dt }).permute(0, 2, 1);
    const fns: [string, () => unknown][] = [
      ['contiguous(T)', () => contiguous(xt)], ['denseCopy(T)', () => denseCopy(xt)],
      ['contiguous(P3)', () => contiguous(y)], ['denseCopy(P3)', () => denseCopy(y)],
      ['exp', () => exp(x)], ['exp T', () => exp(xt)], ['softmax -1', () => softmax(x, -1)], ['softmax 0', () => softmax(x, 0)],
      ['max dim0', () => max(x, 0)], ['var dim0', () => variance(x, 0)], ['var dim1', () => variance(x, 1)],
    ];
    const best: Record<string, number> = {};
    for (let r = 0; r < 8; r++) for (const [k, f] of fns) { const t0 = performance.now(); f(); best[k] = Math.min(best[k] ?? 1e9, performance.now() - t0); }
    console.log(dt, Object.entries(best).map(([k, v]) => `${k}=${v.toFixed(1)}`).join('  '));
  }
});
