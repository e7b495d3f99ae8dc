import { describe, it } from 'vitest';
import { checkOptions, ELU, GELU, Hardtanh, LeakyReLU, Mish, type Module, Sigmoid, SiLU, Softplus, Softsign, Tanh } from '../src/index.js';
import { checkModuleCase, constructorArgs, type ModuleCase, moduleCases } from './fixtures/module-cases.js';

/** A module PyTorch builds without options: the case must give none. */
function plain(name: string, make: () => Module): (options: Record<string, unknown>) => Module {
  return (options) => {
    checkOptions(name, options, []);
    return make();
  };
}

/** Every activation takes only keyword options in PyTorch: all of them go into the options object. */
const builders: Record<string, (options: Record<string, unknown>) => Module> = {
  GELU: (o) => new GELU(o),
  SiLU: plain('SiLU', () => new SiLU()),
  Mish: plain('Mish', () => new Mish()),
  Softplus: (o) => new Softplus(o),
  LeakyReLU: (o) => new LeakyReLU(o),
  ELU: (o) => new ELU(o),
  Hardtanh: (o) => new Hardtanh(o),
  Softsign: plain('Softsign', () => new Softsign()),
  Tanh: plain('Tanh', () => new Tanh()),
  Sigmoid: plain('Sigmoid', () => new Sigmoid()),
};

const build = (c: ModuleCase): Module => builders[c.module]!(constructorArgs(c.options, [])[1]);

describe('activation modules match PyTorch (modules.json, float64, 1e-9)', () => {
  it.each(moduleCases(Object.keys(builders)).map((c) => [c.id, c] as const))('%s', (_, c) => {
    checkModuleCase(c, build);
  });
});
