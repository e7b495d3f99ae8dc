import type { Shape } from '../shape.js';
import { Tensor } from '../tensor.js';

/**
 * Installs op functions as Tensor methods. Each file of tensor/methods/ declares its methods on
 * the Tensor interface (`declare module '../tensor.js'`) and installs them with this, so that ops
 * can import Tensor without an import cycle at load time.
 */
export function installMethods(methods: Record<string, (this: Tensor, ...args: never[]) => unknown>): void {
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true });
  }
}

/** Accepts both `x.view(2, 3)` and `x.view([2, 3])`. */
export function shapeArgs(args: readonly (number | Shape)[]): Shape {
  return args.length === 1 && Array.isArray(args[0]) ? (args[0] as Shape) : (args as number[]);
}
