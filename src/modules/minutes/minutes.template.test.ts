import { marked, type Token, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import type { Language } from '../../i18n/languages.js';
import type { MinutesNotes } from './minutes.notes.js';
import { renderMinutesMarkdown, type MinutesFacts } from './minutes.template.js';

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
    decisions: [{ text: 'Aprovado o orçamento de 2027.', proposedBy: 'Carla Dias', vote: 'unânime', sourceTurn: 12 }],
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
    expect(markdown).toContain('1. Aprovado o orçamento de 2027. *(Proposta por: Carla Dias; Votação: unânime; turno 13, 00:14:05)*');
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
      decisions: [{ text: hostile, proposedBy: '<img src=x onerror=alert(1)>', vote: '*all*', sourceTurn: 12 }],
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
