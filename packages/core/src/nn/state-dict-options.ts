import { Tensor } from '../tensor/tensor.js';
import { formatValue } from '../util/format-value.js';
import { checkFlag, checkOptions, isOptionsObject, optionKeys, type PositionalOr, positionalOptions } from '../util/options.js';

/** Options of `Module.stateDict`, PyTorch's `state_dict(destination=None, prefix='', keep_vars=False)`. */
export interface StateDictOptions {
  /** The object the entries are written into and that is returned (default: a new one). */
  destination?: Record<string, Tensor>;
  /** Put before every key (default ''): `stateDict({ prefix: 'encoder.' })` gives `encoder.0.weight`, …. */
  prefix?: string;
  /** Give the parameters and buffers themselves instead of detached views of them (default false). */
  keepVars?: boolean;
}

/** Options of `Module.loadStateDict`. */
export interface LoadStateDictOptions {
  /** Refuse a dictionary whose keys differ from the module's (default true). */
  strict?: boolean;
}

/** What `Module.loadStateDict` did not match, as PyTorch's `_IncompatibleKeys`. */
export interface IncompatibleKeys {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** The arguments of `loadStateDict` after the state dict: PyTorch's positional `strict`, then the options. */
export type LoadStateDictArgs = PositionalOr<[strict: boolean], LoadStateDictOptions>;

const STATE_DICT_OPTIONS = optionKeys<StateDictOptions>({ destination: true, prefix: true, keepVars: true });
const LOAD_STATE_DICT_OPTIONS = optionKeys<LoadStateDictOptions>({ strict: true });

/**
 * `stateDict`'s options checked and resolved (an unknown key, a prefix that is not a string, a
 * destination that is not a plain object all throw).
 * @param options - as the caller gave them
 */
export function resolveStateDictOptions(options: unknown): Required<StateDictOptions> {
  checkOptions('Module.stateDict', options, STATE_DICT_OPTIONS);
  const { destination = {}, prefix = '', keepVars } = (options ?? {}) as StateDictOptions;
  if (typeof prefix !== 'string') throw new TypeError(`Module.stateDict: prefix must be a string, got ${formatValue(prefix)}`);
  if (!isOptionsObject(destination)) {
    throw new TypeError(`Module.stateDict: destination must be a plain object to fill, got ${formatValue(destination)}`);
  }
  return { destination, prefix, keepVars: checkFlag('Module.stateDict', 'keepVars', keepVars) ?? false };
}

/**
 * `loadStateDict`'s arguments checked: the state dict must be a plain object of Tensors (PyTorch:
 * "Expected state_dict to be dict-like"), then `strict` positionally or in the options.
 * @param stateDict - what the caller passed as the state dict
 * @param args - the arguments after it
 * @returns whether loading is strict
 */
export function resolveLoadStateDictArgs(stateDict: unknown, args: readonly unknown[]): boolean {
  if (!isOptionsObject(stateDict)) {
    throw new TypeError(
      `Module.loadStateDict: Expected state_dict to be dict-like (an object of Tensors by name), got ${formatValue(stateDict)}`,
    );
  }
  for (const [key, value] of Object.entries(stateDict)) {
    if (!(value instanceof Tensor)) {
      throw new TypeError(`Module.loadStateDict: state_dict['${key}'] must be a Tensor, got ${formatValue(value)}`);
    }
  }
  const { strict } = positionalOptions<LoadStateDictOptions>('Module.loadStateDict', args, ['strict'], LOAD_STATE_DICT_OPTIONS);
  return checkFlag('Module.loadStateDict', 'strict', strict) ?? true;
}
