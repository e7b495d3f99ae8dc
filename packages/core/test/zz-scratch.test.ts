import { it } from 'vitest';
import { randn, Tensor, exp, softmax, relu, leakyRelu, max, variance } from '../src/index.js';
import { unaryJs } from '../src/kernels/js/unary.js';
it('perf', () => {
  for (const dt of ['float32', 'float64'] as const) {
    const x = randn([1024, 1024], { dtype: dt });
    const xt = x.t();
    const out = Tensor.empty([1024, 1024], dt);
    const xa = x.storage.array(), oa = out.storage.array();
    const time = (name: string, f: () => unknown) => { for (let i = 0; i < 3; i++) f(); const t0 = performance.now(); for (let i = 0; i < 20; i++) f(); console.log(dt, name, ((performance.now() - t0) / 20).toFixed(2), 'ms'); };
    time('k relu', () => unaryJs('relu', 1 << 20, xa, 0, oa, 0, 0, 0));
    time('k leaky', () => unaryJs('leakyRelu', 1 << 20, xa, 0, oa, 0, 0.01, 0));
    time('relu', () => relu(x));
    time('leakyRelu', () => leakyRelu(x));
    time('exp T', () => exp(xt));
    time('softmax 0', () => softmax(x, 0));
    time('softmax T -1', () => softmax(xt, -1));
    time('max dim0', () => max(x, 0));
    time('var dim0', () => variance(x, 0));
  }
});
