import { describe, expect, it } from 'vitest';
import { noGrad, tensor, zeros } from '../src/index.js';

describe('backward through a freed graph', () => {
  it('a second backward throws and says to pass retainGraph', () => {
    const x = tensor([1, 2, 3]).requiresGrad_();
    const y = x.mul(x).sum();
    y.backward();
    expect(Array.from(x.grad!.toArray())).toEqual([2, 4, 6]);
    expect(() => y.backward()).toThrow(/backward through the graph a second time.*retainGraph: true/);
    // The failed attempt added nothing.
    expect(Array.from(x.grad!.toArray())).toEqual([2, 4, 6]);
  });

  it('backward({ retainGraph: true }) keeps it: a second pass accumulates, as in PyTorch', () => {
    const x = tensor([1, 2, 3]).requiresGrad_();
    const y = x.mul(x).sum();
    y.backward({ retainGraph: true });
    y.backward();
    expect(Array.from(x.grad!.toArray())).toEqual([4, 8, 12]);
    expect(() => y.backward()).toThrow(/second time/);
  });

  it('backward(gradient, options) and unknown options', () => {
    const x = tensor([1, 2]).requiresGrad_();
    const y = x.mul(3);
    y.backward(tensor([1, 10]), { retainGraph: true });
    expect(Array.from(x.grad!.toArray())).toEqual([3, 30]);
    expect(() => y.backward({ retain_graph: true } as never)).toThrow(/unknown option 'retain_graph' \(did you mean 'retainGraph'\?\)/);
  });
});

describe('version counters: saved values changed in place make backward throw', () => {
  it("e = x.exp(); y = (e·e).sum(); e.mul_(0); y.backward() throws naming the op (issue 12's case)", () => {
    const x = tensor([1, 2, 3]).requiresGrad_();
    const e = x.exp();
    const y = e.mul(e).sum();
    noGrad(() => e.mul_(0));
    expect(() => y.backward()).toThrow(
      /modified by an inplace operation \(mul_\): a tensor of shape \[3\] \(the output of exp\), input 0 of mul, is at version 1; expected version 0/,
    );
  });

  it('the same in grad mode: the in-place op cuts the graph, and backward says so', () => {
    const x = tensor([1, 2, 3]).requiresGrad_();
    const e = x.exp();
    const y = e.mul(e).sum();
    e.mul_(0);
    expect(() => y.backward()).toThrow(/modified by an inplace operation \(mul_\)/);
    const h = x.add(1);
    h.mul_(2);
    expect(() => h.sum().backward()).toThrow(/output of add .* modified by the in-place operation mul_ .*out of place/);
  });

  it('an op that saved its own output: exp then zero_ on that output', () => {
    const x = tensor([0.5]).requiresGrad_();
    const e = x.exp();
    noGrad(() => e.zero_());
    expect(() => e.sum().backward()).toThrow(/\(zero_\): .*the output of exp.*the output of exp, is at version 1/);
  });

  it('an in-place change to a value the backward does not read is fine (add saves nothing)', () => {
    const x = tensor([1, 2]).requiresGrad_();
    const c = tensor([5, 5]);
    const y = x.add(c).sum();
    c.fill_(0);
    y.backward();
    expect(Array.from(x.grad!.toArray())).toEqual([1, 1]);
  });

  it('copy_ and fill_ bump the version too', () => {
    const w = tensor([1, 2]);
    const x = tensor([3, 4]).requiresGrad_();
    const y = x.mul(w).sum();
    w.copy_(tensor([0, 0]));
    expect(() => y.backward()).toThrow(/\(copy_\).*input 1 of mul/);
    expect(w.storage.version).toBe(1);
    w.fill_(2);
    expect(w.storage.version).toBe(2);
  });
});

describe('in-place ops on leaves that require grad', () => {
  it('throw outside noGrad, with the fix', () => {
    const w = zeros([3]).requiresGrad_();
    expect(() => w.add_(1)).toThrow(/add_: a leaf Variable that requires grad is being used in an in-place operation.*noGrad/);
    expect(() => w.mul_(2)).toThrow(/leaf Variable/);
    expect(() => w.zero_()).toThrow(/zero_: a leaf Variable/);
    expect(() => w.copy_(tensor([1, 2, 3]))).toThrow(/copy_: a leaf Variable/);
    expect(Array.from(w.toArray())).toEqual([0, 0, 0]);
  });

  it('are allowed inside noGrad (an optimizer step), and bump the version', () => {
    const w = zeros([3]).requiresGrad_();
    noGrad(() => w.add_(1));
    expect(Array.from(w.toArray())).toEqual([1, 1, 1]);
    expect(w.storage.version).toBe(1);
  });

  it('an in-place op on a view of a computed tensor in grad mode throws', () => {
    const x = tensor([1, 2, 3, 4]).requiresGrad_();
    const v = x.mul(2).narrow(0, 0, 2);
    expect(() => v.mul_(3)).toThrow(/in-place operation on a view \(narrow\)/);
  });
});
