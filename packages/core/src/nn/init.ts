/**
 * Parameter initialisation in place, as `torch.nn.init`: the same formulas, fans and gains. The
 * numbers come from Loom's seeded generators (the default one unless a generator is passed).
 */
import { isFloating } from '../dtype.js';
import { checkFillValue } from '../ops/in-place-casting.js';
import { checkGenerator, defaultGenerator, type Generator } from '../random/generator.js';
import { formatShape } from '../tensor/shape.js';
import { forEachOffset, type Tensor } from '../tensor/tensor.js';
import { formatValue } from '../util/format-value.js';
import { checkNumber } from '../util/options.js';

/** The nonlinearities `calculateGain` knows, with PyTorch's names. */
export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'conv_transpose1d'
  | 'conv_transpose2d'
  | 'conv_transpose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'selu';

/** Which fan the Kaiming initialisations preserve: 'fanIn' (forward pass) or 'fanOut' (backward). PyTorch's spellings are accepted too. */
export type FanMode = 'fanIn' | 'fanOut' | 'fan_in' | 'fan_out';

const LINEAR_GAIN = new Set<string>([
  'linear',
  'conv1d',
  'conv2d',
  'conv3d',
  'conv_transpose1d',
  'conv_transpose2d',
  'conv_transpose3d',
  'sigmoid',
]);

/**
 * The recommended gain for a nonlinearity (`param` is leaky_relu's negative slope, default 0.01).
 * @param nonlinearity - PyTorch's name of the function: 1 for linear, conv* and sigmoid, 5/3 for
 *   tanh, √2 for relu, √(2/(1+slope²)) for leaky_relu, 3/4 for selu
 * @param param - leaky_relu's negative slope (default 0.01; must be finite); ignored by the others
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  if (LINEAR_GAIN.has(nonlinearity)) return 1;
  switch (nonlinearity) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      if (!Number.isFinite(slope)) throw new TypeError(`calculateGain: negative_slope ${formatValue(slope)} not a valid number`);
      return Math.sqrt(2 / (1 + slope ** 2));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new RangeError(`calculateGain: unsupported nonlinearity ${formatValue(nonlinearity)}`);
  }
}

/**
 * `[fanIn, fanOut]` of a weight: dims 1 and 0, each times the receptive field (dims 2 and up).
 * @param tensor - a weight of at least 2 dims, [out, in, ...kernel] as Linear and Conv lay them out
 */
export function calculateFanInAndFanOut(tensor: Tensor): [number, number] {
  if (tensor.ndim < 2) {
    throw new RangeError(
      `calculateFanInAndFanOut: fan in and fan out can not be computed for tensor with fewer than 2 dimensions (shape ${formatShape(tensor.shape)})`,
    );
  }
  const receptiveField = tensor.shape.slice(2).reduce((n, d) => n * d, 1);
  return [tensor.shape[1]! * receptiveField, tensor.shape[0]! * receptiveField];
}

function fan(tensor: Tensor, mode: FanMode): number {
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  switch (mode) {
    case 'fanIn':
    case 'fan_in':
      return fanIn;
    case 'fanOut':
    case 'fan_out':
      return fanOut;
    default:
      throw new RangeError(`kaiming: mode ${formatValue(mode)} not supported, please use one of 'fanIn', 'fanOut'`);
  }
}

/** Writes samples drawn by `fill` into `tensor`, whatever its strides. */
function fillRandom<T extends Tensor>(tensor: T, op: string, fill: (out: Float32Array | Float64Array) => void): T {
  if (!isFloating(tensor.dtype)) throw new TypeError(`${op}: expected a floating-point tensor, got dtype ${tensor.dtype}`);
  // Initialisation writes parameters as PyTorch's init does under no_grad: no leaf check, but a new version.
  tensor.storage.bumpVersion(op);
  if (tensor.isContiguous()) {
    fill(tensor.data() as Float32Array | Float64Array);
    return tensor;
  }
  const samples = tensor.dtype === 'float32' ? new Float32Array(tensor.numel) : new Float64Array(tensor.numel);
  fill(samples);
  const storage = tensor.storage.array();
  forEachOffset(tensor, (off, i) => {
    storage[off] = samples[i]!;
  });
  return tensor;
}

/**
 * Fills `tensor` with samples of U(a, b).
 * @param tensor - the tensor written in place (float32 or float64, any strides) and returned; a
 *   parameter that requires grad is allowed, as under `torch.no_grad`
 * @param a - the lower bound (default 0)
 * @param b - the upper bound (default 1); must be at least `a`
 * @param generator - the random stream (default `defaultGenerator`)
 */
export function uniform_<T extends Tensor>(tensor: T, a = 0, b = 1, generator: Generator = defaultGenerator): T {
  checkNumber('uniform_', 'a', a);
  checkNumber('uniform_', 'b', b);
  checkGenerator('uniform_', generator);
  if (!(a <= b)) throw new RangeError(`uniform_: expects a <= b, got a=${a}, b=${b}`);
  return fillRandom(tensor, 'uniform_', (out) => generator.fillUniform(out, a, b));
}

/**
 * Fills `tensor` with samples of N(mean, std²).
 * @param tensor - the tensor written in place (float32 or float64, any strides) and returned; a
 *   parameter that requires grad is allowed, as under `torch.no_grad`
 * @param mean - the mean (default 0)
 * @param std - the standard deviation (default 1); must be ≥ 0
 * @param generator - the random stream (default `defaultGenerator`)
 */
export function normal_<T extends Tensor>(tensor: T, mean = 0, std = 1, generator: Generator = defaultGenerator): T {
  checkNumber('normal_', 'mean', mean);
  checkNumber('normal_', 'std', std);
  checkGenerator('normal_', generator);
  if (!(std >= 0)) throw new RangeError(`normal_: expects std >= 0.0, got std=${std}`);
  return fillRandom(tensor, 'normal_', (out) => generator.fillNormal(out, mean, std));
}

/**
 * Fills `tensor` with `value`.
 * @param tensor - the tensor written in place (any dtype and strides) and returned; a parameter
 *   that requires grad is allowed, as under `torch.no_grad`
 * @param value - the fill value, stored as the dtype stores it (truncated for int32)
 */
export function constant_<T extends Tensor>(tensor: T, value: number): T {
  checkFillValue(tensor, value, 'constant_');
  tensor.storage.bumpVersion('constant_');
  const storage = tensor.storage.array();
  forEachOffset(tensor, (off) => {
    storage[off] = value;
  });
  return tensor;
}

/**
 * Fills `tensor` with zeros.
 * @param tensor - the tensor written in place (any dtype and strides) and returned; a parameter
 *   that requires grad is allowed, as under `torch.no_grad`
 */
export function zeros_<T extends Tensor>(tensor: T): T {
  return constant_(tensor, 0);
}

/**
 * Fills `tensor` with ones.
 * @param tensor - the tensor written in place (any dtype and strides) and returned; a parameter
 *   that requires grad is allowed, as under `torch.no_grad`
 */
export function ones_<T extends Tensor>(tensor: T): T {
  return constant_(tensor, 1);
}

/**
 * Glorot uniform: U(−a, a) with a = gain·√(6 / (fanIn + fanOut)).
 * @param tensor - the weight written in place and returned: at least 2-D [out, in, ...], float32
 *   or float64, any strides
 * @param gain - the scale of the bound (default 1; see `calculateGain`)
 * @param generator - the random stream (default `defaultGenerator`)
 */
export function xavierUniform_<T extends Tensor>(tensor: T, gain = 1, generator: Generator = defaultGenerator): T {
  checkNumber('xavierUniform_', 'gain', gain);
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const a = Math.sqrt(3) * gain * Math.sqrt(2 / (fanIn + fanOut));
  return uniform_(tensor, -a, a, generator);
}

/**
 * Glorot normal: N(0, std²) with std = gain·√(2 / (fanIn + fanOut)).
 * @param tensor - the weight written in place and returned: at least 2-D [out, in, ...], float32
 *   or float64, any strides
 * @param gain - the scale of the standard deviation (default 1; see `calculateGain`)
 * @param generator - the random stream (default `defaultGenerator`)
 */
export function xavierNormal_<T extends Tensor>(tensor: T, gain = 1, generator: Generator = defaultGenerator): T {
  checkNumber('xavierNormal_', 'gain', gain);
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  return normal_(tensor, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), generator);
}

/** The standard deviation of the Kaiming initialisations: gain / √fan. */
function kaimingStd(tensor: Tensor, a: number, mode: FanMode, nonlinearity: Nonlinearity): number {
  checkNumber('kaiming', 'a', a);
  return calculateGain(nonlinearity, a) / Math.sqrt(fan(tensor, mode));
}

/**
 * He uniform: U(−bound, bound) with bound = √3 · gain / √fan; `a` is leaky_relu's negative slope.
 * `kaimingUniform_(w, Math.sqrt(5))` is the default of Linear and Conv2d weights (bound 1/√fanIn).
 * @param tensor - the weight written in place and returned: at least 2-D [out, in, ...], float32
 *   or float64, any strides; an empty one is returned untouched
 * @param a - the negative slope of the leaky_relu that follows (default 0); used only with
 *   `nonlinearity` 'leaky_relu'
 * @param mode - the fan preserved: 'fanIn' (default, the forward pass's variance) or 'fanOut' (the backward's)
 * @param nonlinearity - the function after the layer, which gives the gain (default 'leaky_relu')
 * @param generator - the random stream (default `defaultGenerator`)
 */
export function kaimingUniform_<T extends Tensor>(
  tensor: T,
  a = 0,
  mode: FanMode = 'fanIn',
  nonlinearity: Nonlinearity = 'leaky_relu',
  generator: Generator = defaultGenerator,
): T {
  if (tensor.numel === 0) return tensor;
  const bound = Math.sqrt(3) * kaimingStd(tensor, a, mode, nonlinearity);
  return uniform_(tensor, -bound, bound, generator);
}

/**
 * He normal: N(0, std²) with std = gain / √fan; `a` is leaky_relu's negative slope.
 * @param tensor - the weight written in place and returned: at least 2-D [out, in, ...], float32
 *   or float64, any strides; an empty one is returned untouched
 * @param a - the negative slope of the leaky_relu that follows (default 0); used only with
 *   `nonlinearity` 'leaky_relu'
 * @param mode - the fan preserved: 'fanIn' (default, the forward pass's variance) or 'fanOut' (the backward's)
 * @param nonlinearity - the function after the layer, which gives the gain (default 'leaky_relu')
 * @param generator - the random stream (default `defaultGenerator`)
 */
export function kaimingNormal_<T extends Tensor>(
  tensor: T,
  a = 0,
  mode: FanMode = 'fanIn',
  nonlinearity: Nonlinearity = 'leaky_relu',
  generator: Generator = defaultGenerator,
): T {
  if (tensor.numel === 0) return tensor;
  return normal_(tensor, 0, kaimingStd(tensor, a, mode, nonlinearity), generator);
}
