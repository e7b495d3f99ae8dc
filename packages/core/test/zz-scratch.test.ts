import { it } from 'vitest';
import { tensor, scalar, softmax, logSoftmax, logsumexp, max, min, argmax, variance, exp, gelu, randn, zeros, where, relu, sigmoid, lt, add } from '../src/index.js';
it('edges', () => {
  const s = scalar(2.5, 'float64');
  console.log('softmax0d', softmax(s, 0).item(), softmax(s, -1).item(), logSoftmax(s, 0).item());
  console.log('lse0d', logsumexp(s, 0).item(), logsumexp(s, [0]).shape);
  const m = max(s, 0); console.log('max0d', m.values.item(), m.indices.item(), m.values.shape);
  console.log('argmax0d', argmax(s).item(), argmax(s, 0).item());
  console.log('var0d', variance(s).item());
  console.log('empty softmax', softmax(zeros([0, 3]), 1).shape, softmax(zeros([3, 0]), 1).shape);
  console.log('sigmoid extremes', Array.from(sigmoid(tensor([-800, -740, 0, 740, 800], { dtype: 'float64' })).toArray()));
  const big = tensor([-1000, -50, 50, 1000], { dtype: 'float64' });
  console.log('logsig', Array.from(big.logSigmoid().toArray()), 'softplus', Array.from(big.softplus().toArray()));
  console.log('softplus beta large thr', Array.from(big.softplus(1, 1e9).toArray()));
});
it('perf', () => {
  for (const dt of ['float32', 'float64'] as const) {
    const x = randn([1024, 1024], { dtype: dt });
    const xt = x.t();
    const time = (name: string, f: () => unknown) => { f(); const t0 = performance.now(); for (let i = 0; i < 5; i++) f(); console.log(dt, name, ((performance.now() - t0) / 5).toFixed(2), 'ms'); };
    time('exp', () => exp(x));
    time('relu', () => relu(x));
    time('gelu', () => gelu(x));
    time('softmax -1', () => softmax(x, -1));
    time('softmax 0', () => softmax(x, 0));
    time('softmax T', () => softmax(xt, -1));
    time('logsumexp -1', () => logsumexp(x, -1));
    time('max dim1', () => max(x, 1));
    time('var dim0', () => variance(x, 0));
    time('lt', () => lt(x, 0));
    time('where', () => where(lt(x, 0), x, 0));
    time('add', () => add(x, x));
    time('exp T', () => exp(xt));
  }
});
