import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { VOCABULARY_KEY, datasetToArrowBytes, decodeText, loadArrow, textDataset } from '../src/index.js';

describe('textDataset: next-character windows of a text', () => {
  it('cuts windows of T characters, each target the window shifted by one', () => {
    const { dataset, vocabulary } = textDataset('abcab\n', { contextLength: 2, stride: 1 });
    expect(vocabulary).toEqual(['\n', 'a', 'b', 'c']);
    // ids of "abcab\n": 1 2 3 1 2 0 → windows at 0, 1, 2, 3.
    expect(Array.from(dataset.features)).toEqual([1, 2, 2, 3, 3, 1, 1, 2]);
    expect(Array.from(dataset.targets)).toEqual([2, 3, 3, 1, 1, 2, 2, 0]);
    expect([dataset.length, dataset.targetKind, dataset.numClasses]).toEqual([4, 'class', 4]);
    expect(dataset.targetShape).toEqual([2]);
    expect(decodeText([2, 3, 0], vocabulary)).toEqual('bc\n');
  });

  it('steps by the stride (default: the context length) and keeps only whole windows', () => {
    const { dataset } = textDataset('abcdefghij', { contextLength: 3 });
    expect(dataset.length).toBe(3); // starts 0, 3, 6: the window at 6 needs characters 6..9
    expect(Array.from(dataset.targets.subarray(6))).toEqual([7, 8, 9]);
  });

  it('refuses a text too short for one window, a character outside a given vocabulary, and unknown options', () => {
    expect(() => textDataset('abc', { contextLength: 3 })).toThrow(
      'textDataset: the text has 3 characters; a window of 3 and its next character need at least 4',
    );
    expect(() => textDataset('abz!', { contextLength: 2, vocabulary: ['a', 'b', 'z'] })).toThrow(
      'encodeText: character "!" at position 3 is not in the vocabulary',
    );
    expect(() => textDataset('abcd', { context_length: 2 } as never)).toThrow("did you mean 'contextLength'?");
  });

  it('round-trips through Arrow: class-sequence targets as FixedSizeList<Int32>, the vocabulary in the schema metadata', () => {
    const { dataset, vocabulary } = textDataset('hello world\n', { contextLength: 4, stride: 2 });
    const bytes = datasetToArrowBytes(dataset, { featureColumn: 'list', metadata: { [VOCABULARY_KEY]: JSON.stringify(vocabulary) } });
    expect(JSON.parse(tableFromIPC(bytes).schema.metadata.get(VOCABULARY_KEY)!)).toEqual(vocabulary);
    const back = loadArrow(bytes, { features: 'context', target: 'label' });
    expect([back.targetKind, back.numClasses, back.length]).toEqual(['class', vocabulary.length, dataset.length]);
    expect(back.targetShape).toEqual([4]);
    expect(Array.from(back.targets)).toEqual(Array.from(dataset.targets));
    expect(Array.from(back.features)).toEqual(Array.from(dataset.features));
  });
});
