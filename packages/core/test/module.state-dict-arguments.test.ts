import { describe, expect, it } from 'vitest';
import { Linear, Sequential, type Tensor, tensor } from '../src/index.js';

/** PyTorch's state_dict(destination, prefix, keep_vars) and load_state_dict(sd, strict): honoured or refused, never ignored. */
const asAny = <T>(value: unknown): T => value as T;
const net = () => new Sequential(new Linear(2, 3), new Linear(3, 1));

describe('Module.stateDict takes PyTorch options', () => {
  it('prefix goes before every key, as state_dict(prefix=...)', () => {
    expect(Object.keys(net().stateDict({ prefix: 'encoder.' }))).toEqual([
      'encoder.0.weight',
      'encoder.0.bias',
      'encoder.1.weight',
      'encoder.1.bias',
    ]);
  });

  it('keepVars gives the parameters themselves; by default they are detached views of the same storage', () => {
    const m = new Linear(2, 1);
    const kept = m.stateDict({ keepVars: true });
    expect(kept['weight']).toBe(m.weight);
    expect(kept['weight']!.requiresGrad).toBe(true);
    const detached = m.stateDict();
    expect(detached['weight']).not.toBe(m.weight);
    expect(detached['weight']!.requiresGrad).toBe(false);
    m.weight.data()[0] = 42;
    expect(detached['weight']!.toArray()).toEqual(m.weight.toArray());
  });

  it('destination is filled and returned', () => {
    const destination: Record<string, Tensor> = { step: tensor([3]) };
    const out = new Linear(2, 1).stateDict({ destination, prefix: 'model.' });
    expect(out).toBe(destination);
    expect(Object.keys(out)).toEqual(['step', 'model.weight', 'model.bias']);
  });

  it('an unknown or snake_case option, or a value of the wrong kind, throws', () => {
    const m = new Linear(2, 1);
    expect(() => m.stateDict(asAny({ keep_vars: true }))).toThrowError(
      "Module.stateDict: unknown option 'keep_vars' (did you mean 'keepVars'?)",
    );
    expect(() => m.stateDict(asAny(null))).toThrowError(
      'Module.stateDict: options must be an object of destination, prefix, keepVars, but got null',
    );
    expect(() => m.stateDict(asAny({ prefix: 1 }))).toThrowError('Module.stateDict: prefix must be a string, got 1');
    expect(() => m.stateDict(asAny({ keepVars: 'yes' }))).toThrowError(
      'Module.stateDict: keepVars must be true or false, got the string "yes"',
    );
    expect(() => m.stateDict(asAny({ destination: [] }))).toThrowError(
      'Module.stateDict: destination must be a plain object to fill, got an array []',
    );
  });
});

describe("Module.loadStateDict takes PyTorch's positional strict", () => {
  it('loadStateDict(sd, false) loads what matches and reports the rest, as load_state_dict(sd, False)', () => {
    const source = new Linear(2, 1);
    const target = new Linear(2, 1);
    const { weight } = source.stateDict();
    expect(target.loadStateDict({ weight: weight! }, false)).toEqual({ missingKeys: ['bias'], unexpectedKeys: [] });
    expect(target.weight.toArray()).toEqual(source.weight.toArray());
    expect(target.loadStateDict({ weight: weight! }, { strict: false })).toEqual({ missingKeys: ['bias'], unexpectedKeys: [] });
    expect(() => target.loadStateDict({ weight: weight! })).toThrowError('Missing key(s) in state_dict: "bias"');
  });

  it('a strict given twice, of the wrong kind, or extra arguments throw', () => {
    const m = new Linear(2, 1);
    const sd = m.stateDict();
    expect(() => m.loadStateDict(sd, asAny('no'))).toThrowError('Module.loadStateDict: strict must be true or false, got the string "no"');
    expect(() => m.loadStateDict(sd, false as never, { strict: true } as never)).toThrowError(
      'Module.loadStateDict: strict was given twice, as an argument and in the options',
    );
    expect(() => m.loadStateDict(sd, asAny({ assign: true }))).toThrowError(
      "Module.loadStateDict: unknown option 'assign'; known options: strict",
    );
    expect(() => m.loadStateDict(sd, false, asAny(1))).toThrowError(
      'Module.loadStateDict: takes at most 1 arguments after the required ones (strict)',
    );
  });

  it('a state dict that is not an object of tensors throws before anything is copied', () => {
    const m = new Linear(2, 1);
    expect(() => m.loadStateDict(asAny(null))).toThrowError(
      'Module.loadStateDict: Expected state_dict to be dict-like (an object of Tensors by name), got null',
    );
    expect(() => m.loadStateDict(asAny({ weight: [[1, 2]], bias: tensor([0]) }))).toThrowError(
      "Module.loadStateDict: state_dict['weight'] must be a Tensor, got an array [[…]]",
    );
  });
});
