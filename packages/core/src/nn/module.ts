import type { Tensor } from '../tensor/tensor.js';
import { Parameter } from './parameter.js';

/**
 * Base class of every layer and model, as `torch.nn.Module`. Parameters and sub-modules are
 * found among the instance's own properties, in the order they were assigned (as PyTorch
 * registers attributes): `this.fc1 = new Linear(784, 256)` is all it takes.
 */
export abstract class Module {
  /** Training mode (dropout active) or evaluation mode. */
  training = true;

  /** Computes the module's output. */
  abstract forward(...inputs: Tensor[]): Tensor;

  /** Direct sub-modules with their names. */
  namedChildren(): [string, Module][] {
    return Object.entries(this).filter((e): e is [string, Module] => e[1] instanceof Module);
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** Parameters held directly by this module (not its children), with their names. */
  namedOwnParameters(): [string, Parameter][] {
    return Object.entries(this).filter((e): e is [string, Parameter] => e[1] instanceof Parameter);
  }

  /** Every parameter of this module and its descendants, named by dotted path ('0.weight'). */
  namedParameters(prefix = ''): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Parameter>();
    const visit = (m: Module, path: string): void => {
      for (const [name, p] of m.namedOwnParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([path + name, p]);
      }
      for (const [name, child] of m.namedChildren()) visit(child, `${path}${name}.`);
    };
    visit(this, prefix);
    return out;
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** This module and every descendant, depth first. */
  modules(): Module[] {
    return [this, ...this.children().flatMap((c) => c.modules())];
  }

  /** Sets training mode on this module and every descendant. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Clears the gradients of every parameter (sets them to null, or zero-fills them). */
  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) {
      if (setToNone || !p.grad || p.grad.isSparse) p.grad = null;
      else p.grad.data().fill(0);
    }
  }
}
