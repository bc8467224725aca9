import { describe, expect, it } from 'vitest';
import type { Catalog } from './catalog.js';
import { emailKinds } from './email-kinds.js';
import { catalogOf, defaultLanguage, isLanguage, languages, parseLanguage } from './languages.js';
import { meetingKinds } from './meeting-kinds.js';
import { voteMethods, voteOutcomes } from './votes.js';

/**
 * Arguments to call each function of a catalog with, by its path. A new function needs its own
 * entry: the test below fails until it has one. Values chosen so that each must show in the text.
 */
const openingSamples = [
  [{ date: { day: 9, month: 'março', year: 2027 }, time: '23:30 GMT-3', place: 'Zoom', chair: 'Ana Souza', secretary: 'Bruno Lima' }],
  [{ date: { day: 1, month: 'March', year: 2027 }, time: '23:30 GMT', place: 'Zoom', chair: null, secretary: null }],
  [{ date: { day: 21, month: 'marzo', year: 2027 }, time: '10:00 CET', place: 'Zoom', chair: null, secretary: 'Bruno Lima' }],
  [{ date: { day: 9, month: 'março', year: 2027 }, time: '10:00 GMT-3', place: 'Zoom', chair: 'Ana Souza', secretary: null }],
];
const quorumSamples = [[{ present: 7, expected: 9, required: 5 }], [{ present: 3, expected: 9, required: 5 }], [{ present: 1, expected: 1, required: 1 }]];

const samples: Record<string, unknown[][]> = {
  ...Object.fromEntries(
    meetingKinds.flatMap((kind) => [
      [`minutes.kinds.${kind}.opening`, openingSamples],
      [`minutes.kinds.${kind}.closing`, [['Bruno Lima'], [null]]],
    ]),
  ),
  'minutes.quorum.met': quorumSamples,
  'minutes.quorum.notMet': quorumSamples,
  'minutes.agendaItem': [[2], [11]],
  'minutes.reference.recording': [['00:12:34']],
  'minutes.reference.turn': [[1], [13]],
  'minutes.voting.inFavour': [[1], [5]],
  'minutes.voting.against': [[1], [2]],
  'minutes.voting.abstaining': [[1], [3]],
  'pdf.page': [[2, 7]],
  'envelope.subject': [['Conselho de março']],
  'email.greeting': [['Ana Souza'], [null]],
  'email.signature': [['Condomínio Jardim']],
  'email.whyYouGetThis.owner': [['Condomínio Jardim']],
  'email.whyYouGetThis.participant': [['Condomínio Jardim']],
  'email.unsubscribe': [['lembretes']],
  'email.unsubscribePage.question': [['lembretes', 'ana@example.com']],
  'email.unsubscribePage.done': [['lembretes', 'ana@example.com']],
  ...Object.fromEntries(
    emailKinds.flatMap((kind) => [
      [`email.kinds.${kind}.subject`, [['Conselho de março']]],
      [
        `email.kinds.${kind}.intro`,
        kind === 'signer_declined'
          ? [[{ topic: 'Conselho de março', date: '9 de março de 2027', signerName: 'Bruno Lima' }], [{ topic: 'Conselho de março', date: '9 de março de 2027', signerName: null }]]
          : [[{ topic: 'Conselho de março', date: '9 de março de 2027' }]],
      ],
      [`email.kinds.${kind}.reason`, [['Prazo curto demais']]],
    ]),
  ),
  'email.kinds.signed_ata.download': [[{ date: '16 de março de 2027', time: '23:30 GMT-3' }]],
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

/** The text of a section: its strings, and its functions called with their samples. */
function textsOf(section: unknown, path: string): string[] {
  return entriesOf(section, path).flatMap(({ path: entryPath, value }) =>
    typeof value === 'function' ? (samples[entryPath] ?? []).map((args) => String((value as (...args: unknown[]) => unknown)(...args))) : [String(value)],
  );
}

/** The sections whose words differ with the kind of meeting, the quorum and the vote, and the e-mails. */
const wordedTexts = (catalog: Catalog) => [
  ...textsOf(catalog.minutes.kinds, 'minutes.kinds'),
  ...textsOf(catalog.minutes.quorum, 'minutes.quorum'),
  ...textsOf(catalog.minutes.voting, 'minutes.voting'),
  ...textsOf(catalog.email, 'email'),
];

/** Words (4 letters or more) that English shares with a language: not a leak there. Atas is the product's name. */
const sharedWithEnglish: Record<string, string[]> = { es: ['general', 'atas'], pt: ['atas', 'envelope', 'envelopes'] };
const sampleWords = new Set(Object.values(samples).flatMap((calls) => calls.flatMap((args) => valuesIn(args).flatMap((text) => text.toLowerCase().match(/\p{L}{4,}/gu) ?? []))));
const wordsOf = (texts: string[]) => new Set(texts.flatMap((text) => text.toLowerCase().match(/\p{L}{4,}/gu) ?? []).filter((word) => !sampleWords.has(word)));

/** The English words of en's kinds, quorum, voting and e-mail sections found in another catalog's same sections. */
function englishLeaksIn(catalog: Catalog): string[] {
  const english = wordsOf(wordedTexts(catalogOf('en')));
  const shared = new Set(sharedWithEnglish[catalog.locale.split('-')[0]!] ?? []);
  return [...wordsOf(wordedTexts(catalog))].filter((word) => english.has(word) && !shared.has(word));
}

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

  it('has words for every value of every enum it words: kinds of meeting, vote outcomes and methods', () => {
    for (const language of languages) {
      const { minutes } = catalogOf(language);
      expect({ language, kinds: Object.keys(minutes.kinds).sort() }).toEqual({ language, kinds: [...meetingKinds].sort() });
      expect({ language, outcomes: Object.keys(minutes.voting.outcome).sort() }).toEqual({ language, outcomes: [...voteOutcomes].sort() });
      // not_stated says nothing, so it has no words.
      const methods = voteMethods.filter((method) => method !== 'not_stated');
      expect({ language, methods: Object.keys(minutes.voting.method).sort() }).toEqual({ language, methods: [...methods].sort() });
    }
  });

  it('has words for every kind of e-mail, each kind its own subject and unsubscribe label', () => {
    for (const language of languages) {
      const { kinds } = catalogOf(language).email;
      expect({ language, kinds: Object.keys(kinds).sort() }).toEqual({ language, kinds: [...emailKinds].sort() });
      expect({ language, labels: new Set(emailKinds.map((kind) => kinds[kind].label)).size }).toEqual({ language, labels: emailKinds.length });
      expect({ language, subjects: new Set(emailKinds.map((kind) => kinds[kind].subject('x'))).size }).toEqual({ language, subjects: emailKinds.length });
    }
  });

  it('gives each kind its own heading and attendance in every language', () => {
    for (const language of languages) {
      const { kinds } = catalogOf(language).minutes;
      for (const key of ['heading', 'attendance'] as const) {
        const texts = meetingKinds.map((kind) => kinds[kind][key]);
        expect({ language, key, distinct: new Set(texts).size }).toEqual({ language, key, distinct: meetingKinds.length });
      }
    }
  });

  it.each(languages.filter((language) => language !== 'en'))('has no English word of the kinds, quorum, voting and e-mail sections in %s', (language) => {
    expect(englishLeaksIn(catalogOf(language))).toEqual([]);
  });

  it('catches a kind, quorum or vote entry left in English', () => {
    const ptBR = catalogOf('pt-BR');
    const { minutes } = ptBR;
    const leaky = (patch: Partial<Catalog['minutes']>): Catalog => ({ ...ptBR, minutes: { ...minutes, ...patch } });
    expect(englishLeaksIn(leaky({ kinds: { ...minutes.kinds, board: { ...minutes.kinds.board, attendance: 'Directors present' } } }))).toEqual(
      expect.arrayContaining([expect.stringContaining('directors')]),
    );
    expect(englishLeaksIn(leaky({ quorum: { ...minutes.quorum, notMet: catalogOf('en').minutes.quorum.notMet } })).length).toBeGreaterThan(0);
    expect(englishLeaksIn(leaky({ voting: { ...minutes.voting, outcome: { ...minutes.voting.outcome, postponed: 'postponed' } } }))).toEqual(['postponed']);
    const { email } = ptBR;
    expect(englishLeaksIn({ ...ptBR, email: { ...email, unsubscribeLink: 'Stop these e-mails' } })).toEqual(expect.arrayContaining(['stop', 'these']));
    expect(englishLeaksIn({ ...ptBR, email: { ...email, kinds: { ...email.kinds, signed_ata: catalogOf('en').email.kinds.signed_ata } } }).length).toBeGreaterThan(0);
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
