// The model, in its own ES module: every worker thread imports this file and calls createModel
// with the trainer's `args` to build its replica (functions cannot cross threads; a module URL can).
import { Dropout, Linear, Module, ReLU } from '@loom/core';

/** A residual MLP: x → Linear → ReLU → Dropout → (+ x) → Linear. */
export class ResidualMlp extends Module {
  constructor(inputs, hidden, classes) {
    super();
    this.inp = new Linear(inputs, hidden);
    this.act = new ReLU();
    this.hidden = new Linear(hidden, hidden);
    this.drop = new Dropout(0.1);
    this.out = new Linear(hidden, classes);
  }

  forward(x) {
    const h = this.act.forward(this.inp.forward(x));
    return this.out.forward(h.add(this.drop.forward(this.act.forward(this.hidden.forward(h)))));
  }
}

/** The factory the trainer calls in each thread. */
export function createModel(inputs, hidden, classes) {
  return new ResidualMlp(inputs, hidden, classes);
}
