import { formatValue } from './format-value.js';

/**
 * Strict options: every options object Loom accepts goes through `checkOptions`, so an unknown key
 * (a typo, or PyTorch's snake_case spelling) throws instead of being silently ignored.
 */

/**
 * PyTorch's snake_case spelling of an option turned into Loom's camelCase one.
 * @param key - e.g. 'weight_decay' → 'weightDecay'; a key without '_' comes back unchanged.
 */
export function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
}

/** Edit distance, for "did you mean" on typos. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/**
 * The known key a mistaken one most likely meant: its camelCase form, else the nearest by edit distance.
 * @param key - the unknown key as the caller spelled it (e.g. `weight_decay`)
 * @param known - the valid keys; `undefined` comes back when none is within about a third of
 *   the key's length in edits (at least 2)
 */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  const camel = camelCase(key);
  if (camel !== key && known.includes(camel)) return camel;
  const lower = key.toLowerCase();
  const caseOnly = known.find((k) => k.toLowerCase() === lower || k.toLowerCase() === camel.toLowerCase());
  if (caseOnly !== undefined) return caseOnly;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Throws a TypeError naming `owner` when `options` holds a key outside `known`:
 * "Adam: unknown option 'weight_decay' (did you mean 'weightDecay'?); known options: lr, betas, …".
 * `undefined` passes (nothing given); anything but a plain object (`null`, a number, a string, an
 * array, a class instance) throws, naming what `owner` takes.
 * @param owner - the function or class named in the error ('Adam', 'conv2d').
 * @param options - what the caller passed as options, checked key by key.
 * @param known - every key the owner accepts, listed in the error.
 */
export function checkOptions(owner: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (!isOptionsObject(options)) {
    const takes = known.length === 0 ? 'takes no options' : `options must be an object of ${known.join(', ')}`;
    throw new TypeError(`${owner}: ${takes}, but got ${formatValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const hint = suggestKey(key, known);
    const didYouMean = hint === undefined ? '' : ` (did you mean '${hint}'?)`;
    const list = known.length === 0 ? 'it takes no options' : `known options: ${known.join(', ')}`;
    throw new TypeError(`${owner}: unknown option '${key}'${didYouMean}; ${list}`);
  }
}

/**
 * Throws unless `value` is a number other than NaN; returns it. The scalar arguments of functional
 * ops (`dropout`'s p, `leakyRelu`'s slope, `clamp`'s bounds) come positionally, in PyTorch's order:
 * an options object there is refused with that hint, never read as NaN or "[object Object]".
 * @param owner - the function or class named in the error ('dropout').
 * @param name - the argument's name in the error ('p').
 * @param value - what the caller gave for it.
 */
export function checkNumber(owner: string, name: string, value: unknown): number {
  if (typeof value === 'number' && !Number.isNaN(value)) return value;
  const hint = isOptionsObject(value) ? `; ${owner} takes its numbers positionally, in PyTorch's order` : '';
  throw new TypeError(`${owner}: ${name} must be a number, got ${formatValue(value)}${hint}`);
}

/**
 * Throws when a method got arguments beyond those it takes (as PyTorch's `optimizer.state_dict()`,
 * which takes none), so that an argument is never silently ignored.
 * @param owner - the method named in the error ('Adam.stateDict').
 * @param extra - the arguments past those the method takes (a rest parameter typed `never[]`).
 * @param takes - what the method does take, for the message ('the state dict'); none if left out.
 */
export function checkNoArguments(owner: string, extra: readonly unknown[], takes?: string): void {
  if (extra.length === 0) return;
  const shown = extra.map(formatValue).join(', ');
  if (takes === undefined) throw new TypeError(`${owner}: takes no arguments, got ${extra.length} (${shown})`);
  throw new TypeError(`${owner}: takes ${takes} only, got ${extra.length} more (${shown})`);
}

/**
 * The keys of an options interface as a runtime list, written once and kept complete and exact by
 * the compiler (a missing or extra key does not compile):
 * `optionKeys<LinearOptions>({ bias: true, dtype: true, generator: true })`.
 * @param keys - an object with every key of `T`, optional ones included, each set to `true`
 */
export function optionKeys<T extends object>(keys: { readonly [K in keyof Required<T>]: true }): readonly (keyof T & string)[] {
  return Object.keys(keys) as (keyof T & string)[];
}

/**
 * The arguments after a constructor's required ones: any leading run of PyTorch's positional
 * arguments `P` (a tuple in PyTorch's order), then optionally the options object `O`.
 */
export type PositionalOr<P extends readonly unknown[], O> = P extends readonly [...infer Head, unknown]
  ? [...P, O?] | PositionalOr<Head, O>
  : [O?];

/**
 * Throws unless `value` is a boolean or undefined (a flag given positionally may be anything); returns it.
 * @param owner - the function or class named in the error.
 * @param name - the flag's name in the error ('bias').
 * @param value - what the caller gave for the flag.
 */
export function checkFlag(owner: string, name: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean')
    throw new TypeError(`${owner}: ${name} must be true or false, got ${formatValue(value)}`);
  return value;
}

/**
 * Whether `value` is a plain object (`{ … }`), the only thing taken as an options object.
 * @param value - anything; true only for an object whose prototype is `Object.prototype` or
 *   null (arrays, tensors and other class instances are false)
 */
export function isOptionsObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * PyTorch's positional arguments beside Loom's options object. `rest` holds what a caller passed
 * after the required arguments: values in PyTorch's order (named by `positional`), optionally
 * followed by one options object: `new Conv2d(1, 32, 3, 1, 1)`, `new Conv2d(1, 32, 3, { padding: 1 })`
 * and `new Conv2d(1, 32, 3, 1, 1, { dtype: 'float64' })` all work. An `undefined` value counts as
 * not given. Throws on an unknown option, on more values than `positional` names, on an options
 * object that is not last, and on an option given both ways. Values are checked by the caller.
 * @param owner - the name errors start with (e.g. `Conv2d`)
 * @param rest - the caller's arguments after the required ones, as received
 * @param positional - the option names of PyTorch's positional arguments, in PyTorch's order
 * @param known - every option name the options object may hold
 */
export function positionalOptions<O extends object>(
  owner: string,
  rest: readonly unknown[],
  positional: readonly (keyof O & string)[],
  known: readonly (keyof O & string)[],
): Partial<O> {
  const last = rest.at(-1);
  const options = isOptionsObject(last) ? last : {};
  const values = isOptionsObject(last) ? rest.slice(0, -1) : rest;
  checkOptions(owner, options, known);
  if (values.length > positional.length) {
    const shown = values.map(formatValue).join(', ');
    throw new TypeError(
      `${owner}: takes at most ${positional.length} arguments after the required ones (${positional.join(', ')}), ` +
        `then an options object; got ${values.length} (${shown})`,
    );
  }
  const merged: Record<string, unknown> = { ...options };
  values.forEach((value, i) => {
    const key = positional[i]!;
    if (value === undefined) return;
    if (isOptionsObject(value)) {
      throw new TypeError(`${owner}: an options object must be the last argument, but got one in the place of ${key}`);
    }
    if (options[key] !== undefined) throw new TypeError(`${owner}: ${key} was given twice, as an argument and in the options`);
    merged[key] = value;
  });
  return merged as Partial<O>;
}
