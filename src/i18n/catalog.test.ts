import { describe, expect, it } from 'vitest';
import { catalogOf, defaultLanguage, isLanguage, languages, parseLanguage } from './languages.js';

/**
 * Arguments to call each function of a catalog with, by its path. A new function needs its own
 * entry: the test below fails until it has one. Values chosen so that each must show in the text.
 */
const samples: Record<string, unknown[][]> = {
  'minutes.opening': [
    [{ date: '9 de março de 2027', time: '23:30 BRT', place: 'Zoom', presiding: 'Ana Souza', secretary: 'Bruno Lima' }],
    [{ date: '9 March 2027', time: '23:30 GMT', place: 'Zoom', presiding: null, secretary: null }],
  ],
  'minutes.closingText': [['Bruno Lima'], [null]],
  'minutes.voting.inFavour': [[1], [5]],
  'minutes.voting.against': [[1], [2]],
  'minutes.voting.abstaining': [[1], [3]],
  'pdf.page': [[2, 7]],
  'envelope.subject': [['Conselho de março']],
};

interface Entry {
  path: string;
  value: unknown;
}

/** Every value of a catalog that is not a section, with its dotted path; arrays count as sections. */
function entriesOf(value: unknown, path = ''): Entry[] {
  if (typeof value !== 'object' || value === null) return [{ path, value }];
  return Object.entries(value).flatMap(([key, child]) => entriesOf(child, path ? `${path}.${key}` : key));
}

/** The strings and numbers inside sample arguments: each should appear in the text. */
const valuesIn = (args: unknown[]): string[] => entriesOf(args).flatMap(({ value }) => (typeof value === 'string' || typeof value === 'number' ? [String(value)] : []));

const catalogs = languages.map((language) => ({ language, entries: entriesOf(catalogOf(language)) }));

describe('the language catalogs', () => {
  it('has at least the three languages of the product, pt-BR the default', () => {
    expect(languages).toEqual(expect.arrayContaining(['pt-BR', 'en', 'es']));
    expect(isLanguage(defaultLanguage)).toBe(true);
  });

  it('gives every language every key of every other, nested sections included', () => {
    const allPaths = [...new Set(catalogs.flatMap(({ entries }) => entries.map((entry) => entry.path)))].sort();
    for (const { language, entries } of catalogs) {
      expect({ language, paths: entries.map((entry) => entry.path).sort() }).toEqual({ language, paths: allPaths });
    }
  });

  it('holds only non-empty text and functions', () => {
    for (const { language, entries } of catalogs) {
      for (const { path, value } of entries) {
        expect({ language, path, type: typeof value }).toMatchObject({ type: expect.stringMatching(/^(string|function)$/) });
        if (typeof value === 'string') expect({ language, path, isEmpty: value.trim() === '' }).toEqual({ language, path, isEmpty: false });
      }
    }
  });

  it('has functions that give non-empty text with every value they are given', () => {
    for (const { language, entries } of catalogs) {
      for (const { path, value } of entries.filter((entry) => typeof entry.value === 'function')) {
        const calls = samples[path];
        expect({ path, hasSamples: Boolean(calls?.length) }).toEqual({ path, hasSamples: true });
        for (const args of calls!) {
          const text = (value as (...args: unknown[]) => unknown)(...args);
          expect({ language, path, type: typeof text }).toEqual({ language, path, type: 'string' });
          expect((text as string).trim()).not.toBe('');
          for (const shown of valuesIn(args)) expect({ language, path, text }).toMatchObject({ text: expect.stringContaining(shown) });
        }
      }
    }
  });

  it('names each language a valid Intl locale', () => {
    for (const language of languages) expect(Intl.DateTimeFormat.supportedLocalesOf(catalogOf(language).locale)).toHaveLength(1);
  });
});

describe('parseLanguage', () => {
  it('takes every language with a catalog', () => {
    for (const language of languages) expect(parseLanguage(language)).toBe(language);
  });

  it('refuses a language with no catalog rather than writing another language’s words', () => {
    expect(() => parseLanguage('fr')).toThrow('Unknown language "fr"');
    expect(() => parseLanguage('toString')).toThrow('Unknown language');
    expect(() => parseLanguage('')).toThrow('Unknown language');
  });
});
