import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  Conv2d,
  Dropout,
  Embedding,
  Flatten,
  GELU,
  GRUCell,
  LSTM,
  LayerNorm,
  LeakyReLU,
  Linear,
  LogSoftmax,
  MaxPool2d,
  Module,
  ReLU,
  Sequential,
  summary,
  type Tensor,
} from '../src/index.js';

// Expected strings are what `print(model)` shows for the same model in PyTorch 2.x.
describe('modules print as PyTorch prints them', () => {
  it('a Sequential prints as the tree of its children', () => {
    const model = new Sequential(
      new Linear(784, 256),
      new ReLU(),
      new Dropout(0.2),
      new Linear(256, 10, { bias: false }),
      new LogSoftmax(1),
    );
    expect(String(model)).toBe(
      [
        'Sequential(',
        '  (0): Linear(in_features=784, out_features=256, bias=True)',
        '  (1): ReLU()',
        '  (2): Dropout(p=0.2, inplace=False)',
        '  (3): Linear(in_features=256, out_features=10, bias=False)',
        '  (4): LogSoftmax(dim=1)',
        ')',
      ].join('\n'),
    );
    expect(inspect(model)).toBe(String(model));
  });

  it('each module prints its settings as PyTorch names them', () => {
    expect(String(new Conv2d(1, 32, 3, { stride: 1 }))).toBe('Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1))');
    expect(String(new Conv2d(3, 8, [3, 5], { stride: 2, padding: 1, dilation: 2, bias: false }))).toBe(
      'Conv2d(3, 8, kernel_size=(3, 5), stride=(2, 2), padding=(1, 1), dilation=(2, 2), bias=False)',
    );
    expect(String(new MaxPool2d(2))).toBe('MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)');
    expect(String(new Flatten())).toBe('Flatten(start_dim=1, end_dim=-1)');
    expect(String(new LeakyReLU())).toBe('LeakyReLU(negative_slope=0.01)');
    expect(String(new GELU({ approximate: 'tanh' }))).toBe("GELU(approximate='tanh')");
    expect(String(new LayerNorm(10))).toBe('LayerNorm((10,), eps=1e-05, elementwise_affine=True)');
    expect(String(new Embedding(10, 3, { paddingIdx: 0 }))).toBe('Embedding(10, 3, padding_idx=0)');
    expect(String(new Dropout())).toBe('Dropout(p=0.5, inplace=False)');
    expect(String(new LSTM(10, 20, { numLayers: 2, batchFirst: true, dropout: 0.1 }))).toBe(
      'LSTM(10, 20, num_layers=2, batch_first=True, dropout=0.1)',
    );
    expect(String(new GRUCell(3, 4, { bias: false }))).toBe('GRUCell(3, 4, bias=False)');
  });

  it('a module of your own nests its children and its extraRepr, indented', () => {
    class Block extends Module {
      conv = new Conv2d(1, 4, 3);
      act = new ReLU();
      override extraRepr(): string {
        return 'residual=True';
      }
      forward(x: Tensor): Tensor {
        return this.act.forward(this.conv.forward(x));
      }
    }
    class Net extends Module {
      block = new Block();
      head = new Sequential(new Flatten(), new Linear(4, 2));
      forward(x: Tensor): Tensor {
        return this.head.forward(this.block.forward(x));
      }
    }
    expect(String(new Net())).toBe(
      [
        'Net(',
        '  (block): Block(',
        '    residual=True',
        '    (conv): Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1))',
        '    (act): ReLU()',
        '  )',
        '  (head): Sequential(',
        '    (0): Flatten(start_dim=1, end_dim=-1)',
        '    (1): Linear(in_features=4, out_features=2, bias=True)',
        '  )',
        ')',
      ].join('\n'),
    );
  });
});

describe('summary', () => {
  it('lists every layer with its output shape and parameter count, as torchinfo', () => {
    const model = new Sequential(new Conv2d(1, 32, 3), new ReLU(), new Flatten(), new Linear(32 * 26 * 26, 10));
    model.train();
    const s = summary(model, [2, 1, 28, 28]);
    expect(s.rows.map((r) => [r.name, r.type, r.outputShape, r.params])).toEqual([
      ['', 'Sequential', [2, 10], 0],
      ['0', 'Conv2d', [2, 32, 26, 26], 32 * 9 + 32],
      ['1', 'ReLU', [2, 32, 26, 26], 0],
      ['2', 'Flatten', [2, 21632], 0],
      ['3', 'Linear', [2, 10], 21632 * 10 + 10],
    ]);
    expect(s.totalParams).toBe(320 + 216330);
    expect(s.trainableParams).toBe(s.totalParams);
    const text = String(s);
    expect(text).toContain(`├─Conv2d: 0${' '.repeat(29)}[2, 32, 26, 26]${' '.repeat(10)}320\n`);
    expect(text).toContain(`Sequential${' '.repeat(30)}[2, 10]${' '.repeat(18)}--\n`);
    expect(text).toContain('Total params: 216,650');
    expect(text).toContain('Params size (MB): 0.87');
    // The sample forward leaves the model as it was: training mode and no patched forward.
    expect(model.training).toBe(true);
    expect(Object.hasOwn(model.at(0), 'forward')).toBe(false);
  });

  it('rejects unknown options and reports modules the forward did not call', () => {
    class Partial extends Module {
      used = new Linear(3, 2);
      unused = new Linear(3, 2);
      forward(x: Tensor): Tensor {
        return this.used.forward(x);
      }
    }
    const s = summary(new Partial(), [1, 3]);
    expect(s.rows.find((r) => r.name === 'unused')?.outputShape).toBeNull();
    expect(() => summary(new Partial(), [1, 3], { input_size: [1, 3] } as never)).toThrow(/unknown option 'input_size'/);
  });
});
