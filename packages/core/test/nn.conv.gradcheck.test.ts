import { describe, expect, it } from 'vitest';
import {
  adaptiveAvgPool2d,
  avgPool1d,
  conv1d,
  conv2d,
  convTranspose2d,
  gradcheck,
  manualSeed,
  maxPool1d,
  randn,
  type Tensor,
} from '../src/index.js';

// eps 1e-5: the sums of squares here reach ~5e3, where a 1e-6 step loses the difference to rounding.
const tol = { eps: 1e-5, atol: 1e-7, rtol: 1e-6 };
const f64 = (shape: number[]): Tensor => randn(shape, { dtype: 'float64', requiresGrad: true });

describe('convolution and pooling gradients match central differences (float64)', () => {
  it('conv2d with groups, dilation and padding same; conv1d with stride', () => {
    manualSeed(7);
    const x = f64([2, 4, 5, 6]);
    const w = f64([6, 2, 3, 2]);
    const b = f64([6]);
    expect(
      gradcheck(
        (x, w, b) =>
          conv2d(x, w, b, { groups: 2, padding: 'same', dilation: [2, 1] })
            .pow(2)
            .sum(),
        [x, w, b],
        tol,
      ),
    ).toBe(true);
    const x1 = f64([2, 3, 9]);
    const w1 = f64([4, 3, 3]);
    expect(gradcheck((x, w) => conv1d(x, w, null, { stride: 2, padding: 1 }).pow(2).sum(), [x1, w1], tol)).toBe(true);
  });

  it('convTranspose2d with stride, padding, outputPadding, groups and dilation', () => {
    manualSeed(8);
    const x = f64([2, 4, 3, 2]);
    const w = f64([4, 3, 3, 2]);
    const b = f64([6]);
    const o = {
      stride: [2, 3] as [number, number],
      padding: 1,
      outputPadding: [1, 2] as [number, number],
      groups: 2,
      dilation: [2, 1] as [number, number],
    };
    expect(gradcheck((x, w, b) => convTranspose2d(x, w, b, o).pow(2).sum(), [x, w, b], tol)).toBe(true);
  });

  it('max/avg pooling in 1-D and adaptive average pooling', () => {
    manualSeed(9);
    const x = f64([2, 3, 11]);
    expect(gradcheck((x) => maxPool1d(x, { kernelSize: 3, stride: 2, padding: 1, dilation: 2 }).pow(2).sum(), [x], tol)).toBe(true);
    expect(
      gradcheck(
        (x) => avgPool1d(x, { kernelSize: 4, stride: 3, padding: 2, countIncludePad: false, ceilMode: true }).pow(2).sum(),
        [x],
        tol,
      ),
    ).toBe(true);
    const x2 = f64([2, 2, 5, 7]);
    expect(gradcheck((x) => adaptiveAvgPool2d(x, [3, 4]).pow(2).sum(), [x2], tol)).toBe(true);
  });
});

describe('convTranspose2d is the adjoint of conv2d: <convT(y, w), x> = <y, conv2d(x, w)>', () => {
  const cases: [string, { stride: [number, number]; padding: [number, number]; dilation: [number, number]; groups: number }, number[]][] = [
    ['plain', { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 }, [2, 3, 6, 5]],
    ['strided, padded', { stride: [2, 2], padding: [1, 1], dilation: [1, 1], groups: 1 }, [1, 2, 7, 7]],
    ['dilated, grouped, uneven', { stride: [2, 1], padding: [2, 1], dilation: [2, 3], groups: 2 }, [2, 4, 9, 8]],
  ];
  it.each(cases)('%s', (_, o, xShape) => {
    manualSeed(10);
    const x = randn(xShape, { dtype: 'float64' });
    const w = randn([6, xShape[1]! / o.groups, 3, 2], { dtype: 'float64' });
    const y = conv2d(x, w, null, o);
    const u = randn(y.shape as number[], { dtype: 'float64' });
    // The output size of the transposed convolution equals x's once outputPadding makes up the rounding.
    const outputPadding = [0, 1].map(
      (d) => xShape[d + 2]! + 2 * o.padding[d]! - o.dilation[d]! * ((d === 0 ? 3 : 2) - 1) - 1 - (y.shape[d + 2]! - 1) * o.stride[d]!,
    ) as [number, number];
    const back = convTranspose2d(u, w, null, { ...o, outputPadding });
    expect(back.shape).toEqual(xShape);
    const lhs = back.mul(x).sum().item();
    const rhs = y.mul(u).sum().item();
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-10 * Math.abs(rhs) + 1e-10);
  });
});
