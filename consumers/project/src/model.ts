// A model module of the consumer project: each worker thread imports it to build its replica.
import { Linear, Module, type Tensor } from '@loom/core';

/** A two-layer perceptron with a tanh between the layers, written as a Module subclass. */
export class TinyNet extends Module {
  readonly hidden: Linear;
  readonly out: Linear;

  constructor(inputs: number, hidden: number, classes: number) {
    super();
    this.hidden = new Linear(inputs, hidden);
    this.out = new Linear(hidden, classes);
  }

  forward(x: Tensor): Tensor {
    return this.out.forward(this.hidden.forward(x).tanh());
  }
}

/** The factory the trainer calls, with the spec's `args`. */
export function createModel(inputs: number, hidden: number, classes: number): TinyNet {
  return new TinyNet(inputs, hidden, classes);
}
