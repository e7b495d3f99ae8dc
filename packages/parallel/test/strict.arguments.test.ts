import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findMpirun } from './mpirun.js';
import {
  batchRanges,
  batches,
  createBatchNormCnn,
  createBuiltinModel,
  createLeNet,
  createMlp,
  datasetFromArrays,
  datasetToArrowBytes,
  datasetToArrowTable,
  loadArrow,
  loadMnist,
  MNIST_DIGITS,
  mnistTable,
  MpiClient,
  MpiWorld,
  RandomSampler,
  readArrowSchema,
  writeArrow,
  writeMnistArrow,
} from '../dist/index.js';

/** Each call below is a mistake that used to pass without a word (an ignored key, a clamped or truncated value). */
const dataset = datasetFromArrays({ features: new Float32Array([1, 2, 3, 4]), featureDim: 2, targets: new Int32Array([0, 1]) });
const bytes = datasetToArrowBytes(dataset);
const asAny = <T>(value: unknown): T => value as T;

describe('Arrow reading and writing refuse options they do not know', () => {
  it('loadArrow names the unknown key, the camelCase one for snake_case, and the known ones', () => {
    expect(() => loadArrow(bytes, asAny({ features: 'features', target: 'label', bogusKey: 1 }))).toThrow(
      "loadArrow: unknown option 'bogusKey'; known options: features, target, featureShape, nulls, targetKind",
    );
    expect(() => loadArrow(bytes, asAny({ features: 'features', target: 'label', target_kind: 'class' }))).toThrow(
      "loadArrow: unknown option 'target_kind' (did you mean 'targetKind'?)",
    );
    expect(() => loadArrow(bytes, asAny(undefined))).toThrow('loadArrow: options { features, target } are required');
    // The right spelling still reads the file.
    expect(loadArrow(bytes, { features: 'features', target: 'label', targetKind: 'class' }).length).toBe(2);
  });

  it('writeArrow, datasetToArrowBytes and datasetToArrowTable check their options, metadata values included', () => {
    expect(() => writeArrow(dataset, '/nonexistent-dir/x.arrow', asAny({ feature_column: 'list' }))).toThrow(
      "writeArrow: unknown option 'feature_column' (did you mean 'featureColumn'?); known options: featureColumn, format, metadata",
    );
    expect(() => datasetToArrowBytes(dataset, asAny({ format: 'feather' }))).toThrow(
      `datasetToArrowBytes: format must be 'file' or 'stream', got "feather"`,
    );
    expect(() => datasetToArrowTable(dataset, asAny({ metadata: { vocabulary: ['a', 'b'] } }))).toThrow(
      "datasetToArrowTable: metadata 'vocabulary' must be a string, got object (JSON.stringify it first)",
    );
    expect(datasetToArrowTable(dataset, { metadata: { vocabulary: '["a","b"]' } }).schema.metadata.get('vocabulary')).toBe('["a","b"]');
  });

  it('readArrowSchema takes no options', () => {
    expect(() => asAny<(...a: unknown[]) => unknown>(readArrowSchema)(bytes, { bogusKey: 1 })).toThrow(
      'readArrowSchema: takes one argument (a path or the bytes of an Arrow file) and no options; got 2 arguments',
    );
    expect(readArrowSchema(bytes).fields.map((f) => f.name)).toEqual(['features', 'label']);
  });

  it('datasetFromArrays refuses a key it does not know', () => {
    expect(() => datasetFromArrays(asAny({ features: [1, 2], feature_dim: 1, targets: [0, 1] }))).toThrow(
      "datasetFromArrays: unknown option 'feature_dim' (did you mean 'featureDim'?)",
    );
  });
});

describe('samplers refuse options they do not know', () => {
  it('RandomSampler, batches and batchRanges (drop_last was ignored: the short batch kept)', () => {
    expect(() => new RandomSampler(4, asAny({ seed: 1, generator: 2 }))).toThrow(
      "RandomSampler: unknown option 'generator'; known options: seed",
    );
    expect(() => batches(new Int32Array(5), 2, asAny({ drop_last: true }))).toThrow(
      "batches: unknown option 'drop_last' (did you mean 'dropLast'?)",
    );
    expect(() => batchRanges(5, 2, asAny({ dropLast: 1 }))).toThrow('batchRanges: dropLast must be true or false, got 1');
    expect(batchRanges(5, 2, { dropLast: true })).toEqual([
      [0, 2],
      [2, 4],
    ]);
  });
});

describe('the built-in digits check limit', () => {
  it.each([
    [0, 'limit must be a positive integer, got 0'],
    [-5, 'limit must be a positive integer, got -5'],
    [2.5, 'limit must be a positive integer, got 2.5'],
    [NaN, 'limit must be a positive integer, got NaN'],
    ['100', 'limit must be a positive integer, got "100"'],
    [MNIST_DIGITS + 1, `limit ${MNIST_DIGITS + 1} is more than the ${MNIST_DIGITS} digits there are; leave it out for all of them`],
  ])('limit %s throws in mnistTable, writeMnistArrow and loadMnist', (limit, message) => {
    expect(() => mnistTable(asAny(limit))).toThrow(`mnistTable: ${message}`);
    expect(() => writeMnistArrow('/nonexistent-dir/digits.arrow', asAny(limit))).toThrow(`writeMnistArrow: ${message}`);
    expect(() => loadMnist({ limit: asAny(limit), cacheDir: '/nonexistent-dir' })).toThrow(`loadMnist: ${message}`);
  });

  it('a valid limit keeps that many rows, and all of them is MNIST_DIGITS', () => {
    expect(mnistTable(7).length).toBe(7);
    expect(mnistTable().length).toBe(MNIST_DIGITS);
    expect(() => loadMnist(asAny({ limit: 5, cache_dir: '/tmp' }))).toThrow(
      "loadMnist: unknown option 'cache_dir' (did you mean 'cacheDir'?)",
    );
  });
});

describe('the model factories check every size', () => {
  it.each([0, -1, 2.5, NaN, Infinity, '10'])('numClasses %s throws naming numClasses', (numClasses) => {
    expect(() => createLeNet([1, 28, 28], asAny(numClasses))).toThrow(/^createLeNet: numClasses must be a positive integer, got /);
    expect(() => createBatchNormCnn([1, 28, 28], asAny(numClasses))).toThrow(/^createBatchNormCnn: numClasses must be a positive integer/);
    expect(() => createBuiltinModel({ builtin: 'cnn', numClasses: asAny(numClasses) })).toThrow(/^createLeNet: numClasses must be/);
  });

  it.each([
    [[1, 28], '[1,28]'],
    [[0, 28, 28], '[0,28,28]'],
    [[1, 28.5, 28], '[1,28.5,28]'],
    [{ numClasses: 5 }, '{"numClasses":5}'],
  ])('inputShape %j throws naming inputShape', (inputShape, shown) => {
    const message = `inputShape must be [C, H, W], three positive integers, got ${shown}`;
    expect(() => createLeNet(asAny(inputShape))).toThrow(`createLeNet: ${message}`);
    expect(() => createBatchNormCnn(asAny(inputShape))).toThrow(`createBatchNormCnn: ${message}`);
  });

  it('createMlp refuses bad sizes and an activation it does not have (it used to build ReLUs)', () => {
    expect(() => createMlp([4, 0])).toThrow('createMlp: sizes must be at least two positive integers [in, hidden…, out], got [4,0]');
    expect(() => createMlp([4, 2.5, 2])).toThrow('createMlp: sizes must be at least two positive integers');
    expect(() => createMlp(asAny('4,2'))).toThrow('createMlp: sizes must be at least two positive integers [in, hidden…, out], got "4,2"');
    expect(() => createMlp([4, 2], asAny('sigmoid'))).toThrow('createMlp: activation must be one of relu, tanh, gelu, got "sigmoid"');
    expect(String(createMlp([4, 3, 2], 'tanh'))).toContain('Tanh');
  });

  it('createBuiltinModel checks the spec keys as the trainer does', () => {
    expect(() => createBuiltinModel(asAny({ builtin: 'cnn', num_classes: 3 }))).toThrow(
      "createBuiltinModel: model (cnn): unknown option 'num_classes' (did you mean 'numClasses'?); known options: builtin, inputShape, numClasses",
    );
    expect(() => createBuiltinModel(asAny({ builtin: 'resnet' }))).toThrow(
      'createBuiltinModel: model.builtin must be one of mlp, cnn, cnn-bn, char-transformer, got "resnet"',
    );
    expect(() => createBuiltinModel(asAny(undefined))).toThrow(/^createBuiltinModel: spec must be \{ builtin/);
    expect(() => createBuiltinModel(asAny({ builtin: 'char-transformer' }))).toThrow(
      'char-transformer: vocabSize must be a positive integer',
    );
  });
});

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const mpirun = findMpirun();

describe('the MPI helpers check their arguments before MPI sees them', () => {
  it('MpiWorld.start and MpiClient refuse what is not shared memory', async () => {
    await expect(MpiWorld.start(asAny(new ArrayBuffer(16)))).rejects.toThrow(
      'MpiWorld.start: memory must be the SharedArrayBuffer of a shared WebAssembly memory (sharedMemory().buffer)',
    );
    await expect(MpiWorld.start(new SharedArrayBuffer(16), asAny(''))).rejects.toThrow(
      'MpiWorld.start: library must be a path or a library name, got ""',
    );
    expect(() => new MpiClient(asAny(new ArrayBuffer(16)))).toThrow(
      "MpiClient: control must be the world's controlBuffer (a SharedArrayBuffer)",
    );
  });

  it.skipIf(!mpirun)(
    'on 2 ranks, bad counts, offsets, elements and per-rank lists reject naming the argument; a good call then works',
    () => {
      const result = spawnSync(mpirun!, ['-n', '2', process.execPath, 'mpi-bad-arguments.mjs'], {
        cwd: fixtures,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.status, result.stderr).toBe(0);
      const lines = result.stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { rank: number; errors: Record<string, string | null>; sum: number });
      expect(lines).toHaveLength(2);
      for (const { errors, sum } of lines) {
        expect(errors).toEqual({
          allreduceNegativeCount: 'MpiWorld.allreduceSum: count must be an integer from 0 to 2147483647, got -1',
          allreduceFractionalCount: 'MpiWorld.allreduceSum: count must be an integer from 0 to 2147483647, got 2.5',
          allreduceInPlace: 'MpiWorld.allreduceSum: IN_PLACE is not supported here; pass the byte offset of the data to send',
          allreduceElement: 'MpiWorld.allreduceSum: element must be one of float32, float64, int32, bytes, got "float16"',
          allreduceMisaligned: expect.stringMatching(
            /^MpiWorld\.allreduceSum: sendOffset \d+ is not a multiple of 4, the bytes of one float32 element/,
          ),
          allreduceNaNOffset: 'MpiWorld.allreduceSum: sendOffset must be an integer from 0 to 9007199254740991, got NaN',
          allgatherStringCount: 'MpiWorld.allgather: count must be an integer from 0 to 2147483647, got "8"',
          allgathervShortCounts: 'MpiWorld.allgatherv: counts must hold one entry per rank (2), got 0 entries',
          allgathervNegativeDispl: 'MpiWorld.allgatherv: displs[0] must be an integer from 0 to 2147483647, got -1',
          alltoallvInPlace: 'MpiWorld.alltoallv: IN_PLACE is not supported here; pass the byte offset of the data to send',
        });
        // Ranks hold 1 and 2: the sum after the refused calls is 3 on both.
        expect(sum).toBe(3);
      }
    },
  );
});
