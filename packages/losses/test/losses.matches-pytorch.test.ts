import { describe, expect, it } from 'vitest';
import { type LossCase, caseModule, caseTensors, lossCases } from './fixtures/cases.js';
import { expectClose, fromFixture } from './fixtures/pytorch.js';

const computed = lossCases.filter((c) => !c.raises);
const raising = lossCases.filter((c) => c.raises);

/** Runs a case forward and backward (with PyTorch's upstream) and compares output and input gradients. */
function check(c: LossCase, dtype: 'float32' | 'float64', rtol: number, atol: number): void {
  const tensors = caseTensors(c, dtype);
  const out = caseModule(c, dtype).forward(...(tensors as [(typeof tensors)[0], (typeof tensors)[0]]));
  expect(out.dtype).toBe(dtype);
  expectClose(out, c.output!, rtol, atol, `${c.id} output`);
  out.backward(fromFixture(c.upstream!, dtype));
  const grads = [c.grad_input!, ...(c.grad_input2 ? [c.grad_input2] : [])];
  // BCE at inputs of exactly 0 or 1 has gradients of ~1e12: compare them relatively only.
  const gradAtol = c.loss === 'BCELoss' ? 0 : atol;
  grads.forEach((g, i) => {
    expect(tensors[i]!.grad, `${c.id} grad ${i}`).not.toBeNull();
    expectClose(tensors[i]!.grad!, g, rtol, gradAtol, `${c.id} grad_input${i ? i + 1 : ''}`);
  });
}

describe('losses match PyTorch 1.13 in float64 (1e-10 relative)', () => {
  it.each(computed.map((c) => [c.id, c] as const))('%s', (_id, c) => check(c, 'float64', 1e-10, 1e-300));
});

describe('losses match PyTorch 1.13 in float32 (1e-5 relative)', () => {
  it.each(computed.map((c) => [c.id, c] as const))('%s', (_id, c) => check(c, 'float32', 1e-5, 1e-6));
});

describe('losses raise where PyTorch 1.13 raises', () => {
  it.each(raising.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const tensors = caseTensors(c, 'float64');
    expect(() => caseModule(c, 'float64').forward(...(tensors as [(typeof tensors)[0], (typeof tensors)[0]]))).toThrow();
    expect(tensors[0]!.grad).toBeNull();
  });
});
