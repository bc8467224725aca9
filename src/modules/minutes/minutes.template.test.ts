import { marked, type Token, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import type { VotingWords } from '../../i18n/catalog.js';
import { catalogOf, languages, type Language } from '../../i18n/languages.js';
import { voteMethods, voteOutcomes, type MinutesNotes, type Vote } from './minutes.notes.js';
import { renderMinutesMarkdown, type MinutesFacts } from './minutes.template.js';
import { voteResultOf } from './minutes.vote.js';

const unanimous: Vote = { method: 'unanimous', inFavour: null, against: null, abstaining: null, inFavourNames: [], againstNames: [], abstainingNames: [] };

function makeNotes(overrides: Partial<MinutesNotes> = {}): MinutesNotes {
  return {
    title: 'Reunião Ordinária do Conselho',
    presiding: 'Ana Souza',
    secretary: 'Bruno Lima',
    attendees: [
      { name: 'Ana Souza', role: 'Presidente' },
      { name: 'Bruno Lima', role: null },
    ],
    agenda: [{ title: 'Orçamento de 2027', discussion: 'A tesoureira apresentou o orçamento.\n\nOs conselheiros fizeram perguntas.' }],
    decisions: [{ text: 'Aprovado o orçamento de 2027.', proposedBy: 'Carla Dias', outcome: 'approved', vote: unanimous, sourceTurn: 12 }],
    actionItems: [
      { owner: 'Bruno Lima', task: 'Publicar o orçamento aprovado.', dueDate: '2027-04-01', sourceTurn: 31 },
      { owner: null, task: 'Convocar a assembleia.', dueDate: null, sourceTurn: 40 },
    ],
    ...overrides,
  };
}

const turnStarts = new Map([[12, 845], [31, 2530]]);

function makeFacts(overrides: Partial<MinutesFacts> = {}): MinutesFacts {
  return {
    topic: 'Conselho',
    startTime: new Date('2027-03-10T02:30:00Z'),
    durationMinutes: 60,
    platform: 'Zoom',
    timeZone: 'America/Sao_Paulo',
    absent: [],
    turnStart: (index) => turnStarts.get(index) ?? null,
    ...overrides,
  };
}

/** Every token of the Markdown, nested ones included, as the PDF renderer's lexer sees them. */
function tokensOf(markdown: string): Token[] {
  const all: Token[] = [];
  const visit = (tokens: Token[]) => {
    for (const token of tokens) {
      all.push(token);
      const nested = token as { tokens?: Token[]; items?: Token[]; header?: Tokens.TableCell[]; rows?: Tokens.TableCell[][] };
      visit(nested.tokens ?? []);
      visit(nested.items ?? []);
      for (const cell of [...(nested.header ?? []), ...(nested.rows ?? []).flat()]) visit(cell.tokens);
    }
  };
  visit(marked.lexer(markdown));
  return all;
}

const headingsOf = (markdown: string) => tokensOf(markdown).filter((token): token is Tokens.Heading => token.type === 'heading').map((heading) => heading.text);
const tableOf = (markdown: string) => tokensOf(markdown).find((token): token is Tokens.Table => token.type === 'table');

const sections: Record<Language, { headings: string[]; closing: string; date: string }> = {
  'pt-BR': {
    headings: ['Abertura', 'Presença', 'Ordem do dia', 'Discussão', 'Deliberações', 'Encaminhamentos', 'Encerramento'],
    closing: 'Nada mais havendo a tratar, a reunião foi encerrada, e eu, Bruno Lima, lavrei a presente ata',
    date: '9 de março de 2027',
  },
  en: {
    headings: ['Opening', 'Attendance', 'Agenda', 'Discussion', 'Resolutions', 'Action items', 'Closing'],
    closing: 'There being no further business, the meeting was closed. These minutes were taken by Bruno Lima',
    date: '9 March 2027',
  },
  es: {
    headings: ['Apertura', 'Asistencia', 'Orden del día', 'Deliberación', 'Acuerdos', 'Tareas', 'Cierre'],
    closing: 'No habiendo más asuntos que tratar, se levantó la sesión, y yo, Bruno Lima, redacté la presente acta',
    date: '9 de marzo de 2027',
  },
};

describe('renderMinutesMarkdown', () => {
  it.each(Object.entries(sections))('writes the formal sections in %s, in order', (language, expected) => {
    const markdown = renderMinutesMarkdown(makeNotes(), makeFacts(), language as Language);
    const headings = headingsOf(markdown);
    expect(headings[0]).toMatch(/: Reunião Ordinária do Conselho$/);
    expect(headings.filter((heading) => expected.headings.includes(heading))).toEqual(expected.headings);
    expect(markdown).toContain(expected.closing);
    expect(markdown).toContain(expected.date);
  });

  it('writes the opening and closing of a Brazilian ata', () => {
    const markdown = renderMinutesMarkdown(makeNotes(), makeFacts({ absent: ['Davi Rocha'] }), 'pt-BR');
    expect(markdown).toMatch(/^# ATA DA REUNIÃO: Reunião Ordinária do Conselho\n/);
    expect(markdown).toContain('No dia 9 de março de 2027, às 23:30');
    expect(markdown).toContain('reuniram-se por Zoom os participantes abaixo relacionados, sob a presidência de Ana Souza, secretariados por Bruno Lima');
    expect(markdown).toContain('- Ana Souza (Presidente)\n- Bruno Lima\n');
    expect(markdown).toContain('**Ausentes:** Davi Rocha');
    expect(markdown).toContain('1. Aprovado o orçamento de 2027. *(Proposta por: Carla Dias; Votação: aprovada por unanimidade; turno 13, 00:14:05)*');
    expect(markdown).toContain('A tesoureira apresentou o orçamento.\n\nOs conselheiros fizeram perguntas.');
    expect(markdown.trimEnd()).toMatch(/Nada mais havendo a tratar, .* vai assinada pelos presentes\.$/);
  });

  it('dates the meeting in its own time zone', () => {
    expect(renderMinutesMarkdown(makeNotes(), makeFacts(), 'pt-BR')).toContain('No dia 9 de março de 2027, às 23:30');
    expect(renderMinutesMarkdown(makeNotes(), makeFacts({ timeZone: 'UTC' }), 'pt-BR')).toContain('No dia 10 de março de 2027, às 02:30');
    expect(renderMinutesMarkdown(makeNotes(), makeFacts({ startTime: new Date('2027-03-01T15:00:00Z') }), 'pt-BR')).toContain('No dia 1º de março de 2027');
    expect(renderMinutesMarkdown(makeNotes(), makeFacts({ timeZone: 'Asia/Tokyo' }), 'en')).toContain('On 10 March 2027, at 11:30');
  });

  it('writes the action items as a table, one row each, with a reference to the turn', () => {
    const markdown = renderMinutesMarkdown(makeNotes(), makeFacts(), 'pt-BR');
    expect(markdown).toContain(
      [
        '| Responsável | Tarefa | Prazo | Ref. |',
        '| --- | --- | --- | --- |',
        '| Bruno Lima | Publicar o orçamento aprovado. | 2027-04-01 | turno 32, 00:42:10 |',
        '| — | Convocar a assembleia. | a definir | turno 41 |',
      ].join('\n'),
    );
    const table = tableOf(markdown)!;
    expect(table.rows.map((row) => row.map((cell) => cell.text))).toEqual([
      ['Bruno Lima', 'Publicar o orçamento aprovado.', '2027-04-01', 'turno 32, 00:42:10'],
      ['—', 'Convocar a assembleia.', 'a definir', 'turno 41'],
    ]);
  });

  it('says "Nenhuma registrada." when there are no decisions or action items', () => {
    const markdown = renderMinutesMarkdown(makeNotes({ decisions: [], actionItems: [] }), makeFacts(), 'pt-BR');
    expect(markdown).toContain('## Deliberações\n\nNenhuma registrada.\n');
    expect(markdown).toContain('## Encaminhamentos\n\nNenhuma registrada.\n');
    expect(tableOf(markdown)).toBeUndefined();
    expect(renderMinutesMarkdown(makeNotes({ decisions: [] }), makeFacts(), 'en')).toContain('## Resolutions\n\nNone recorded.\n');
  });

  it('escapes Markdown and HTML in what the model wrote, so it stays text', () => {
    const hostile = '**x** <script>alert(1)</script> | pipes | [link](javascript:alert(1)) `code` _em_ # not a heading';
    const notes = makeNotes({
      title: hostile,
      presiding: '**Ana**',
      attendees: [{ name: '| pipes |', role: '<b>chefe</b>' }],
      agenda: [{ title: hostile, discussion: `${hostile}\n## Injected heading\n| a | b |\n| --- | --- |` }],
      decisions: [{ text: hostile, proposedBy: '<img src=x onerror=alert(1)>', outcome: 'approved', vote: { ...unanimous, method: 'counted', inFavour: 2, inFavourNames: ['*all*', '<b>Bruno</b>'] }, sourceTurn: 12 }],
      actionItems: [{ owner: 'Ana | Bruno', task: `${hostile}\nsecond line`, dueDate: '| 2027 |', sourceTurn: 31 }],
    });
    const markdown = renderMinutesMarkdown(notes, makeFacts({ platform: '<iframe> | Zoom |', absent: ['**Davi**'] }), 'pt-BR');
    const tokens = tokensOf(markdown);

    expect(tokens.filter((token) => ['html', 'link', 'codespan'].includes(token.type))).toEqual([]);
    // Bold and italics are the template's own labels and references only.
    const strong = tokens.filter((token) => token.type === 'strong').map((token) => (token as Tokens.Strong).text);
    expect(strong.every((text) => /^[A-Za-zçãáéíóú()]+:$/.test(text))).toBe(true);
    expect(tokens.filter((token) => token.type === 'em').map((token) => (token as Tokens.Em).text)).toEqual([expect.stringMatching(/^\(/)]);
    expect(headingsOf(markdown).filter((heading) => /Injected|not a heading/.test(heading))).toHaveLength(2); // the title and the agenda item
    expect(headingsOf(markdown)).not.toContain('Injected heading');
    const table = tableOf(markdown)!;
    expect(table.header).toHaveLength(4);
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0]).toHaveLength(4);

    const html = marked.parse(markdown, { async: false });
    expect(html).not.toMatch(/<(script|img|iframe|b|a)[\s>]/);
    expect(html).toContain('**x** &lt;script&gt;alert(1)&lt;/script&gt; | pipes | [link](javascript:alert(1)) `code` _em_ # not a heading');
  });

  // BUG (minutes.template.ts, escapeBlock/escapeInline): the characters that open a block at the
  // start of a line (`-`, `+`, `1.`, `---`, four spaces) are not escaped, so a discussion paragraph
  // or an attendee's name from the model becomes a list, a rule or a code block, against
  // "Text from the model or the transcript must not become Markdown structure".
  it('keeps block syntax at the start of what the model wrote as text', () => {
    const notes = makeNotes({
      attendees: [{ name: '1. Ana Souza', role: null }],
      agenda: [{ title: 'Orçamento', discussion: '- primeiro\n- segundo\n\n1. terceiro\n\n---\n\n    recuado\n\n+ quarto' }],
      decisions: [],
      actionItems: [],
    });
    const markdown = renderMinutesMarkdown(notes, makeFacts(), 'pt-BR');
    const discussion = marked.lexer(markdown.slice(markdown.indexOf('### 1. Orçamento'), markdown.indexOf('## Deliberações')));
    expect(discussion.map((token) => token.type).filter((type) => type !== 'space')).toEqual(['heading', 'paragraph', 'paragraph', 'paragraph', 'paragraph', 'paragraph']);
    const attendance = tokensOf(markdown).find((token): token is Tokens.List => token.type === 'list')!;
    expect(attendance.items[0]!.tokens.map((token) => token.type)).toEqual(['text']);
  });
});

/** Every word (4 letters or more) of the English vote texts: none may show in a pt-BR or es ata. */
function englishWordsOf(words: VotingWords): Set<string> {
  const texts = [...Object.values(words.outcome), ...Object.values(words.method), ...[1, 2].flatMap((n) => [words.inFavour(n), words.against(n), words.abstaining(n)])];
  return new Set(texts.flatMap((text) => text.toLowerCase().match(/\p{L}{4,}/gu) ?? []));
}

/** Every method × outcome, with counts (0, 1, 2) and names, so each catalog entry is used. */
const allVotes = voteMethods.flatMap((method) =>
  [...voteOutcomes, null].flatMap((outcome) => [
    { outcome, vote: { ...unanimous, method } },
    { outcome, vote: { ...unanimous, method, inFavour: 1, against: 0, abstaining: 2 } },
    { outcome, vote: { ...unanimous, method, inFavour: 5, against: null, abstaining: null, againstNames: ['Bruno Lima'], abstainingNames: ['Carla Dias', 'Davi Rocha'] } },
  ]),
);

const leaksIn = (words: VotingWords, locale: string): string[] => {
  const english = englishWordsOf(catalogOf('en').minutes.voting);
  return allVotes.flatMap((decision) => {
    const text = voteResultOf(decision, words, locale) ?? '';
    return (text.toLowerCase().match(/\p{L}{4,}/gu) ?? []).filter((word) => english.has(word) && !/^(bruno|lima|carla|dias|davi|rocha)$/.test(word)).map((word) => `${word} in "${text}"`);
  });
};

describe('the vote of a deliberação', () => {
  const sample = {
    outcome: 'approved' as const,
    vote: { ...unanimous, method: 'counted' as const, inFavour: 5, against: 1, abstaining: 1, againstNames: ['Bruno Lima'], abstainingNames: ['Carla Dias'] },
  };
  it.each([
    ['pt-BR', 'aprovada por unanimidade', 'aprovada por 5 votos a favor, 1 contra (Bruno Lima) e 1 abstenção (Carla Dias)', 'rejeitada por 1 voto a favor, 2 contra e 3 abstenções'],
    ['en', 'approved unanimously', 'approved by 5 votes in favour, 1 against (Bruno Lima) and 1 abstention (Carla Dias)', 'rejected by 1 vote in favour, 2 against and 3 abstentions'],
    ['es', 'aprobada por unanimidad', 'aprobada por 5 votos a favor, 1 en contra (Bruno Lima) y 1 abstención (Carla Dias)', 'rechazada por 1 voto a favor, 2 en contra y 3 abstenciones'],
  ] as const)('is written in %s from enums and counts', (language, unanimously, counted, plural) => {
    const { minutes, locale } = catalogOf(language);
    expect(voteResultOf({ outcome: 'approved', vote: unanimous }, minutes.voting, locale)).toBe(unanimously);
    expect(voteResultOf(sample, minutes.voting, locale)).toBe(counted);
    expect(voteResultOf({ outcome: 'rejected', vote: { ...unanimous, method: 'counted', inFavour: 1, against: 2, abstaining: 3 } }, minutes.voting, locale)).toBe(plural);
    const markdown = renderMinutesMarkdown(makeNotes({ decisions: [{ text: 'Orçamento.', proposedBy: null, ...sample, sourceTurn: 12 }] }), makeFacts(), language);
    expect(markdown).toContain(`${minutes.vote}: ${counted}; `);
  });

  it('says nothing of a vote the notes do not state, and only the outcome of one not put to a vote', () => {
    const { minutes, locale } = catalogOf('pt-BR');
    expect(voteResultOf({ outcome: null, vote: { ...unanimous, method: 'not_stated' } }, minutes.voting, locale)).toBeNull();
    expect(voteResultOf({ outcome: null, vote: { ...unanimous, method: 'counted' } }, minutes.voting, locale)).toBeNull();
    expect(voteResultOf({ outcome: 'no_vote', vote: unanimous }, minutes.voting, locale)).toBe('não submetida a votação');
    expect(voteResultOf({ outcome: null, vote: unanimous }, minutes.voting, locale)).toBe('por unanimidade');
    const markdown = renderMinutesMarkdown(makeNotes({ decisions: [{ text: 'Orçamento.', proposedBy: null, outcome: null, vote: { ...unanimous, method: 'not_stated' }, sourceTurn: 12 }] }), makeFacts(), 'pt-BR');
    expect(markdown).toContain('1. Orçamento. *(turno 13, 00:14:05)*');
  });

  it.each(languages)('renders every method × outcome in %s as non-empty text, with no English word outside en', (language) => {
    const { minutes, locale } = catalogOf(language);
    for (const decision of allVotes) {
      const text = voteResultOf(decision, minutes.voting, locale);
      const { method, inFavour, againstNames } = decision.vote;
      const statesSomething = decision.outcome !== null || (method !== 'not_stated' && (method !== 'counted' || inFavour !== null || againstNames.length > 0));
      if (statesSomething) expect({ decision, text }).toEqual({ decision, text: expect.stringMatching(/\S/) });
    }
    if (language !== 'en') expect(leaksIn(minutes.voting, locale)).toEqual([]);
  });

  it('catches a pt-BR entry left in English', () => {
    const { minutes, locale } = catalogOf('pt-BR');
    const leaky: VotingWords = { ...minutes.voting, outcome: { ...minutes.voting.outcome, postponed: 'postponed' } };
    expect(leaksIn(leaky, locale)).toEqual(expect.arrayContaining([expect.stringContaining('postponed in "postponed')]));
    expect(leaksIn({ ...minutes.voting, abstaining: (n) => `${n} abstentions` }, locale).length).toBeGreaterThan(0);
  });
});
