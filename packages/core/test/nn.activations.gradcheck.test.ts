import { describe, expect, it } from 'vitest';
import { elu, gelu, gradcheck, hardtanh, leakyRelu, mish, silu, softplus, softsign, tensor, type Tensor } from '../src/index.js';

/** Points on both sides of every kink and threshold, none within the finite-difference step of one. */
const X = [-30, -6.2, -2.5, -1.3, -0.97, -0.4, -1e-3, 2e-3, 0.3, 0.99, 1.2, 2.4, 4.9, 7.5, 25];

const ops: [string, (x: Tensor) => Tensor][] = [
  ['silu', silu],
  ['mish', mish],
  ['softplus(beta=2, threshold=5)', (x) => softplus(x, 2, 5)],
  ['softplus default', (x) => softplus(x)],
  ['elu(alpha=1.5)', (x) => elu(x, 1.5)],
  ['hardtanh(-1, 1)', (x) => hardtanh(x)],
  ['hardtanh(-0.5, 2)', (x) => hardtanh(x, -0.5, 2)],
  ['softsign', softsign],
  ['leakyRelu(0.2)', (x) => leakyRelu(x, 0.2)],
  ['gelu', (x) => gelu(x)],
  ['gelu tanh', (x) => gelu(x, 'tanh')],
];

describe('activation gradients match central differences (float64)', () => {
  it.each(ops)('%s', (_, f) => {
    const x = tensor(X, { dtype: 'float64', requiresGrad: true });
    expect(
      gradcheck(
        (t) =>
          f(t)
            .mul(
              tensor(
                X.map((_, i) => 1 + i / 7),
                { dtype: 'float64' },
              ),
            )
            .sum(),
        [x],
        { eps: 1e-6, atol: 1e-8, rtol: 1e-6 },
      ),
    ).toBe(true);
  });

  it('hardtanh refuses bounds in the wrong order', () => {
    expect(() => hardtanh(tensor([1]), 1, 1)).toThrow('hardtanh: maxVal (1) must be greater than minVal (1)');
  });
});
