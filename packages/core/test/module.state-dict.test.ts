import { describe, expect, it } from 'vitest';
import { Embedding, LayerNorm, Linear, Module, Parameter, Sequential, manualSeed, tensor, zeros, type Tensor } from '../src/index.js';

class Net extends Module {
  fc1 = new Linear(4, 3);
  norm = new LayerNorm(3);
  head = new Sequential(new Linear(3, 2), new Linear(2, 1, { bias: false }));

  forward(x: Tensor): Tensor {
    return this.head.forward(this.norm.forward(this.fc1.forward(x)));
  }
}

describe('Module.stateDict / loadStateDict', () => {
  it('names every parameter by dotted path, in registration order', () => {
    const net = new Net();
    expect(Object.keys(net.stateDict())).toEqual([
      'fc1.weight',
      'fc1.bias',
      'norm.weight',
      'norm.bias',
      'head.0.weight',
      'head.0.bias',
      'head.1.weight',
    ]);
    expect(net.numParameters()).toBe(4 * 3 + 3 + 3 + 3 + 3 * 2 + 2 + 2);
    expect(net.namedModules().map(([name]) => name)).toEqual(['', 'fc1', 'norm', 'head', 'head.0', 'head.1']);
  });

  it('round-trips values into a differently initialised model, in place', () => {
    manualSeed(1);
    const a = new Net();
    manualSeed(2);
    const b = new Net();
    const weightBefore = b.fc1.weight;
    expect(b.fc1.weight.tolist()).not.toEqual(a.fc1.weight.tolist());
    const result = b.loadStateDict(a.stateDict());
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    for (const [name, t] of Object.entries(a.stateDict())) expect(b.stateDict()[name]!.tolist()).toEqual(t.tolist());
    expect(b.fc1.weight).toBe(weightBefore);
  });

  it('state dict entries share storage but are detached from autograd', () => {
    const net = new Net();
    const w = net.stateDict()['fc1.weight']!;
    expect(w).not.toBeInstanceOf(Parameter);
    expect(w.requiresGrad).toBe(false);
    w.data()[0] = 42;
    expect(net.fc1.weight.data()[0]).toBe(42);
  });

  it('converts dtypes when loading', () => {
    const lin = new Linear(2, 1);
    lin.loadStateDict({ weight: tensor([[1, 2]], { dtype: 'float64' }), bias: tensor([3], { dtype: 'int32' }) });
    expect(lin.weight.dtype).toBe('float32');
    expect(lin.weight.tolist()).toEqual([[1, 2]]);
    expect(lin.bias!.tolist()).toEqual([3]);
  });

  it('strict mode lists missing keys, unexpected keys and size mismatches, and copies nothing', () => {
    const net = new Sequential(new Linear(4, 4), new Linear(4, 2));
    const before = net.at(1).stateDict()['weight']!.tolist();
    const dict = {
      '0.weight': zeros([3, 4]),
      '0.bias': zeros([4]),
      '1.weight': zeros([2, 4]),
      'extra.weight': zeros([1]),
      other: zeros([1]),
    };
    expect(() => net.loadStateDict(dict)).toThrow(
      'Error(s) in loading state_dict for Sequential:\n' +
        '\tMissing key(s) in state_dict: "1.bias". \n' +
        '\tUnexpected key(s) in state_dict: "extra.weight", "other". \n' +
        '\tsize mismatch for 0.weight: copying a param with shape [3,4] from checkpoint, the shape in current model is [4,4].',
    );
    expect(net.at(1).stateDict()['weight']!.tolist()).toEqual(before);
  });

  it('non-strict mode loads what matches and reports the rest', () => {
    const net = new Sequential(new Linear(2, 2), new Linear(2, 1));
    const result = net.loadStateDict({ '0.weight': zeros([2, 2]), x: zeros([1]) }, { strict: false });
    expect(result).toEqual({ missingKeys: ['0.bias', '1.weight', '1.bias'], unexpectedKeys: ['x'] });
    expect(net.at(0).stateDict()['weight']!.tolist()).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(() => net.loadStateDict({ '0.bias': zeros([3]) }, { strict: false })).toThrow(
      'size mismatch for 0.bias: copying a param with shape [3] from checkpoint, the shape in current model is [2].',
    );
  });

  it('lists a shared parameter under each name in the state dict but once in parameters()', () => {
    class Tied extends Module {
      emb = new Embedding(5, 3);
      out = new Linear(3, 5, { bias: false });
      constructor() {
        super();
        this.out.weight = this.emb.weight;
      }
      forward(x: Tensor): Tensor {
        return this.out.forward(this.emb.forward(x));
      }
    }
    const m = new Tied();
    expect(Object.keys(m.stateDict())).toEqual(['emb.weight', 'out.weight']);
    expect(m.parameters()).toHaveLength(1);
    expect(m.numParameters()).toBe(15);
  });

  it('apply visits children before the parent; train/eval reach every module', () => {
    const net = new Net();
    const seen: string[] = [];
    net.apply((m) => seen.push(m.constructor.name));
    expect(seen).toEqual(['Linear', 'LayerNorm', 'Linear', 'Linear', 'Sequential', 'Net']);
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.head.at(-1).training).toBe(true);
  });

  it('Sequential chains its modules and refuses non-modules', () => {
    const seq = new Sequential(new Linear(2, 2, { bias: false }), new Linear(2, 1, { bias: false }));
    seq.loadStateDict({
      '0.weight': tensor([
        [1, 2],
        [3, 4],
      ]),
      '1.weight': tensor([[1, -1]]),
    });
    expect(seq.forward(tensor([[1, 1]])).tolist()).toEqual([[3 - 7]]);
    expect(seq.length).toBe(2);
    expect([...seq]).toHaveLength(2);
    expect(() => new Sequential(new Linear(1, 1), {} as Module)).toThrow('Sequential: argument 1 is not a Module');
    expect(() => seq.at(2)).toThrow('Sequential: index 2 is out of range for 2 modules');
  });
});
