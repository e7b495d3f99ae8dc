// PyTorch's MNIST example (github.com/pytorch/examples, mnist/main.py), line by line in Loom:
// the same network, DataLoader, train and test loops, Adadelta with StepLR, and a state dict that
// PyTorch loads. Run from the repository root after `pnpm build`:
//   node examples/mnist-cnn/main.mjs                 # a quick run on 600 of the built-in digits
//   node examples/mnist-cnn/main.mjs --limit 10000 --epochs 14 --save-model
// The built-in digits are the 10,000 of the `mnist` npm package (PyTorch's script downloads the
// 60,000 + 10,000 of torchvision); they are split 5:1 into train and test sets here.
import { parseArgs } from 'node:util';
import { Conv2d, Dropout, Linear, manualSeed, maxPool2d, Module, noGrad, saveSafetensorsFile, withArena } from '@loom/core';
import { nllLoss } from '@loom/losses';
import { Adadelta, StepLR } from '@loom/optim';
import { DataLoader, loadMnist, randomSplit } from '@loom/parallel';

class Net extends Module {
  constructor() {
    super();
    this.conv1 = new Conv2d(1, 32, 3, { stride: 1 });
    this.conv2 = new Conv2d(32, 64, 3, { stride: 1 });
    this.dropout1 = new Dropout(0.25);
    this.dropout2 = new Dropout(0.5);
    this.fc1 = new Linear(9216, 128);
    this.fc2 = new Linear(128, 10);
  }

  forward(x) {
    x = this.conv1.forward(x);
    x = x.relu();
    x = this.conv2.forward(x);
    x = x.relu();
    x = maxPool2d(x, { kernelSize: 2 });
    x = this.dropout1.forward(x);
    x = x.flatten(1);
    x = this.fc1.forward(x);
    x = x.relu();
    x = this.dropout2.forward(x);
    x = this.fc2.forward(x);
    const output = x.logSoftmax(1);
    return output;
  }
}

/** transforms.Normalize((0.1307,), (0.3081,)), applied to a whole batch. */
function normalize(data) {
  return data.sub(0.1307).div(0.3081);
}

function train(args, model, trainLoader, optimizer, epoch) {
  model.train();
  let batchIdx = 0;
  let loss = Number.NaN;
  for (const [data, target] of trainLoader) {
    // Every tensor of the step comes from the arena and is freed when it ends; the number stays.
    loss = withArena(() => {
      optimizer.zeroGrad();
      const output = model.forward(normalize(data));
      const l = nllLoss(output, target);
      l.backward();
      optimizer.step();
      return l.item();
    });
    if (batchIdx % args.logInterval === 0) {
      const seen = batchIdx * trainLoader.batchSize;
      const total = trainLoader.dataset.length;
      console.log(
        `Train Epoch: ${epoch} [${seen}/${total} (${((100 * batchIdx) / trainLoader.length).toFixed(0)}%)]\tLoss: ${loss.toFixed(6)}`,
      );
    }
    batchIdx++;
  }
  return loss;
}

function test(model, testLoader) {
  model.eval();
  let testLoss = 0;
  let correct = 0;
  noGrad(() => {
    for (const [data, target] of testLoader) {
      withArena(() => {
        const output = model.forward(normalize(data));
        testLoss += nllLoss(output, target, { reduction: 'sum' }).item();
        const pred = output.argmax(1, true);
        correct += pred.eq(target.view(pred.shape)).sum().item();
      });
    }
  });
  const n = testLoader.dataset.length;
  testLoss /= n;
  console.log(`\nTest set: Average loss: ${testLoss.toFixed(4)}, Accuracy: ${correct}/${n} (${((100 * correct) / n).toFixed(0)}%)\n`);
  return { testLoss, accuracy: correct / n };
}

function main() {
  const { values } = parseArgs({
    options: {
      'batch-size': { type: 'string', default: '64' },
      'test-batch-size': { type: 'string', default: '1000' },
      epochs: { type: 'string', default: '1' },
      lr: { type: 'string', default: '1.0' },
      gamma: { type: 'string', default: '0.7' },
      seed: { type: 'string', default: '1' },
      'log-interval': { type: 'string', default: '10' },
      limit: { type: 'string', default: '600' },
      'save-model': { type: 'string' },
    },
  });
  const args = {
    batchSize: Number(values['batch-size']),
    testBatchSize: Number(values['test-batch-size']),
    epochs: Number(values.epochs),
    lr: Number(values.lr),
    gamma: Number(values.gamma),
    seed: Number(values.seed),
    logInterval: Number(values['log-interval']),
    limit: Number(values.limit),
    saveModel: values['save-model'],
  };
  manualSeed(args.seed);

  const digits = loadMnist({ limit: args.limit });
  const testCount = Math.floor(digits.length / 6);
  const [dataset1, dataset2] = randomSplit(digits, [digits.length - testCount, testCount], args.seed);
  const trainLoader = new DataLoader(dataset1, { batchSize: args.batchSize, shuffle: true, seed: args.seed });
  const testLoader = new DataLoader(dataset2, { batchSize: args.testBatchSize });

  const model = new Net();
  const optimizer = new Adadelta(model.parameters(), { lr: args.lr });
  const scheduler = new StepLR(optimizer, { stepSize: 1, gamma: args.gamma });
  let result = { testLoss: Number.NaN, accuracy: 0 };
  let trainLoss = Number.NaN;
  for (let epoch = 1; epoch <= args.epochs; epoch++) {
    trainLoss = train(args, model, trainLoader, optimizer, epoch);
    result = test(model, testLoader);
    scheduler.step();
  }

  if (args.saveModel) {
    // PyTorch: model.load_state_dict(safetensors.torch.load_file(path)) on the same Net.
    return saveSafetensorsFile(model.stateDict(), args.saveModel).then(() => ({ trainLoss, ...result }));
  }
  return Promise.resolve({ trainLoss, ...result });
}

console.log(JSON.stringify(await main()));
