/**
 * Parameter initialisation in place, as `torch.nn.init`: the same formulas, fans and gains. The
 * numbers come from Loom's seeded generators (the default one unless a generator is passed).
 */
import { isFloating } from '../dtype.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { formatShape } from '../tensor/shape.js';
import { forEachOffset, type Tensor } from '../tensor/tensor.js';

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

/** The recommended gain for a nonlinearity (`param` is leaky_relu's negative slope, default 0.01). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  if (LINEAR_GAIN.has(nonlinearity)) return 1;
  switch (nonlinearity) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      if (!Number.isFinite(slope)) throw new TypeError(`calculateGain: negative_slope ${slope} not a valid number`);
      return Math.sqrt(2 / (1 + slope ** 2));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new RangeError(`calculateGain: unsupported nonlinearity ${String(nonlinearity)}`);
  }
}

/** `[fanIn, fanOut]` of a weight: dims 1 and 0, each times the receptive field (dims 2 and up). */
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
      throw new RangeError(`kaiming: mode ${String(mode)} not supported, please use one of 'fanIn', 'fanOut'`);
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

/** Fills `tensor` with samples of U(a, b). */
export function uniform_<T extends Tensor>(tensor: T, a = 0, b = 1, generator: Generator = defaultGenerator): T {
  if (!(a <= b)) throw new RangeError(`uniform_: expects a <= b, got a=${a}, b=${b}`);
  return fillRandom(tensor, 'uniform_', (out) => generator.fillUniform(out, a, b));
}

/** Fills `tensor` with samples of N(mean, std²). */
export function normal_<T extends Tensor>(tensor: T, mean = 0, std = 1, generator: Generator = defaultGenerator): T {
  if (!(std >= 0)) throw new RangeError(`normal_: expects std >= 0.0, got std=${std}`);
  return fillRandom(tensor, 'normal_', (out) => generator.fillNormal(out, mean, std));
}

/** Fills `tensor` with `value`. */
export function constant_<T extends Tensor>(tensor: T, value: number): T {
  tensor.storage.bumpVersion('constant_');
  const storage = tensor.storage.array();
  forEachOffset(tensor, (off) => {
    storage[off] = value;
  });
  return tensor;
}

/** Fills `tensor` with zeros. */
export function zeros_<T extends Tensor>(tensor: T): T {
  return constant_(tensor, 0);
}

/** Fills `tensor` with ones. */
export function ones_<T extends Tensor>(tensor: T): T {
  return constant_(tensor, 1);
}

/** Glorot uniform: U(−a, a) with a = gain·√(6 / (fanIn + fanOut)). */
export function xavierUniform_<T extends Tensor>(tensor: T, gain = 1, generator: Generator = defaultGenerator): T {
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const a = Math.sqrt(3) * gain * Math.sqrt(2 / (fanIn + fanOut));
  return uniform_(tensor, -a, a, generator);
}

/** Glorot normal: N(0, std²) with std = gain·√(2 / (fanIn + fanOut)). */
export function xavierNormal_<T extends Tensor>(tensor: T, gain = 1, generator: Generator = defaultGenerator): T {
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  return normal_(tensor, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), generator);
}

/** The standard deviation of the Kaiming initialisations: gain / √fan. */
function kaimingStd(tensor: Tensor, a: number, mode: FanMode, nonlinearity: Nonlinearity): number {
  return calculateGain(nonlinearity, a) / Math.sqrt(fan(tensor, mode));
}

/**
 * He uniform: U(−bound, bound) with bound = √3 · gain / √fan; `a` is leaky_relu's negative slope.
 * `kaimingUniform_(w, Math.sqrt(5))` is the default of Linear and Conv2d weights (bound 1/√fanIn).
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

/** He normal: N(0, std²) with std = gain / √fan; `a` is leaky_relu's negative slope. */
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
