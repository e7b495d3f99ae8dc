import { describe, expect, it } from 'vitest';
import { Linear, loadSafetensors, Module, Parameter, Sequential, tensor, zeros, type Tensor } from '../src/index.js';

/** A module with a parameter and buffers of each kind, as BatchNorm has: registered in this order. */
class Stats extends Module {
  weight = new Parameter(tensor([1, 2]));
  constructor() {
    super();
    this.registerBuffer('running_mean', zeros([2]));
    this.registerBuffer('scratch', zeros([2]), false);
    this.registerBuffer('unset', null);
    this.registerBuffer('count', tensor(0, { dtype: 'int32' }));
  }
  forward(x: Tensor): Tensor {
    return x;
  }
}

class Net extends Module {
  stats = new Stats();
  fc = new Linear(2, 2);
  constructor() {
    super();
    this.registerBuffer('scale', tensor([3]));
  }
  forward(x: Tensor): Tensor {
    return this.fc.forward(this.stats.forward(x));
  }
}

describe('Module buffers', () => {
  it('interleave with the parameters in the state dict as PyTorch orders them: own params, own buffers, children', () => {
    const net = new Net();
    // torch: Net() with the same registrations gives exactly these keys (scratch is not
    // persistent, unset is None).
    expect(Object.keys(net.stateDict())).toEqual(['scale', 'stats.weight', 'stats.running_mean', 'stats.count', 'fc.weight', 'fc.bias']);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['scale', 'stats.running_mean', 'stats.scratch', 'stats.count']);
    expect(net.buffers()).toHaveLength(4);
    expect(net.namedParameters().map(([n]) => n)).toEqual(['stats.weight', 'fc.weight', 'fc.bias']);
    expect(net.getBuffer('stats.unset')).toBeNull();
    expect(net.getBuffer('stats.running_mean')).toBe(net.stats.getBuffer('running_mean'));
  });

  it('load in place from a state dict, with strict key checks', () => {
    const net = new Net();
    const mean = net.getBuffer('stats.running_mean')!;
    const dict = {
      ...net.stateDict(),
      'stats.running_mean': tensor([5, 6], { dtype: 'float64' }),
      'stats.count': tensor(7, { dtype: 'int32' }),
    };
    net.loadStateDict(dict);
    expect(net.getBuffer('stats.running_mean')).toBe(mean);
    expect(mean.tolist()).toEqual([5, 6]);
    expect(net.getBuffer('stats.count')!.item()).toBe(7);
    const { 'stats.count': _, ...missing } = dict;
    expect(() => net.loadStateDict(missing)).toThrow('Missing key(s) in state_dict: "stats.count"');
    expect(() => net.loadStateDict({ ...dict, 'stats.scratch': zeros([2]) })).toThrow('Unexpected key(s) in state_dict: "stats.scratch"');
  });

  it('double() / float() / to() convert parameters, gradients and floating buffers; integer buffers and ties stay', () => {
    const net = new Net();
    const tied = new Sequential(net, new Linear(2, 2));
    (tied.at(1) as Linear).weight = net.fc.weight;
    net.fc.weight.grad = tensor([
      [1, 2],
      [3, 4],
    ]);
    const before = net.fc.weight.tolist();
    expect(tied.double()).toBe(tied);
    expect(net.fc.weight.dtype).toBe('float64');
    expect(net.fc.weight).toBeInstanceOf(Parameter);
    expect(net.fc.weight.requiresGrad).toBe(true);
    expect(net.fc.weight.tolist()).toEqual((before as number[][]).map((r) => r.map((v) => Math.fround(v))));
    expect(net.fc.weight.grad!.dtype).toBe('float64');
    expect(net.fc.weight.grad!.tolist()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect((tied.at(1) as Linear).weight).toBe(net.fc.weight);
    expect(net.getBuffer('stats.running_mean')!.dtype).toBe('float64');
    expect(net.getBuffer('stats.scratch')!.dtype).toBe('float64');
    expect(net.getBuffer('stats.count')!.dtype).toBe('int32');
    expect(Object.keys(net.stateDict())).toEqual(['scale', 'stats.weight', 'stats.running_mean', 'stats.count', 'fc.weight', 'fc.bias']);
    tied.float();
    expect(tied.parameters().every((p) => p.dtype === 'float32')).toBe(true);
    expect(
      tied
        .to('float64')
        .buffers()
        .map((b) => b.dtype),
    ).toEqual(['float64', 'float64', 'float64', 'int32']);
    expect(() => tied.to('int32')).toThrow('Module.to: only floating-point dtypes are accepted (float32, float64), got the string "int32"');
  });

  it('refuse bad registrations, naming what is wrong', () => {
    const m = new Stats();
    expect(() => m.registerBuffer('a.b', zeros([1]))).toThrow("buffer name must be a non-empty string without '.'");
    expect(() => m.registerBuffer('weight', zeros([1]))).toThrow("attribute 'weight' already exists on Stats");
    expect(() => m.registerBuffer('p', new Parameter(zeros([1])))).toThrow("'p' is a Parameter");
    expect(() => m.registerBuffer('q', [1] as unknown as Tensor)).toThrow("cannot assign an array [1] to buffer 'q'");
    expect(() => m.getBuffer('nothing')).toThrow("Stats has no buffer 'nothing'");
    expect(() => new Net().getBuffer('x.count')).toThrow("Net has no submodule 'x'");
  });

  it('load from safetensors written by PyTorch, whose num_batches_tracked is int64', () => {
    // What safetensors.torch.save_file({'count': torch.tensor(5), 'running_mean': torch.tensor([1., 2.])}) writes.
    const header = JSON.stringify({
      count: { dtype: 'I64', shape: [], data_offsets: [0, 8] },
      running_mean: { dtype: 'F32', shape: [2], data_offsets: [8, 16] },
    });
    const padded = header.padEnd(Math.ceil(header.length / 8) * 8, ' ');
    const bytes = new Uint8Array(8 + padded.length + 16);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(0, BigInt(padded.length), true);
    bytes.set(new TextEncoder().encode(padded), 8);
    view.setBigInt64(8 + padded.length, 5n, true);
    view.setFloat32(8 + padded.length + 8, 1, true);
    view.setFloat32(8 + padded.length + 12, 2, true);
    const { tensors } = loadSafetensors(bytes);
    expect(tensors['count']!.dtype).toBe('int32');
    const m = new Stats();
    m.loadStateDict({ weight: tensor([0, 0]), ...tensors });
    expect(m.getBuffer('count')!.item()).toBe(5);
    expect(m.getBuffer('running_mean')!.tolist()).toEqual([1, 2]);
    view.setBigInt64(8 + padded.length, 2n ** 40n, true);
    expect(() => loadSafetensors(bytes)).toThrow("tensor 'count' (I64) holds 1099511627776 at element 0, outside the int32 range");
  });
});
