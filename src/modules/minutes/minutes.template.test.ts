import { marked, type Token, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import type { Catalog, VotingWords } from '../../i18n/catalog.js';
import { catalogOf, languages, type Language } from '../../i18n/languages.js';
import { meetingKinds } from '../../i18n/meeting-kinds.js';
import { voteMethods, voteOutcomes, type Vote } from './minutes.notes.js';
import type { Evidence, MinutesRecord, Quorum } from './minutes.record.js';
import { renderMinutesMarkdown, type MinutesFacts } from './minutes.template.js';
import { voteResultOf } from './minutes.vote.js';

const unanimous: Vote = { method: 'unanimous', inFavour: null, against: null, abstaining: null, inFavourNames: [], againstNames: [], abstainingNames: [] };

const evidenceAt = (turn: number, time: string | null): Evidence => ({ turn, time, speaker: 'Ana Souza', quote: 'Em votação.' });

type Decision = MinutesRecord['decisions'][number];
type ActionItem = MinutesRecord['actionItems'][number];

const makeDecision = (overrides: Partial<Decision> = {}): Decision => ({
  text: 'Aprovado o orçamento de 2027.',
  proposedBy: 'Carla Dias',
  outcome: 'approved',
  vote: unanimous,
  agendaItem: null,
  sourceTurn: 12,
  evidence: [evidenceAt(12, '00:14:05')],
  ...overrides,
});

const makeActionItem = (overrides: Partial<ActionItem> = {}): ActionItem => ({
  owner: 'Bruno Lima',
  ownerEmail: 'bruno@example.com',
  task: 'Publicar o orçamento aprovado.',
  dueDate: '2027-04-01',
  dueAsSaid: 'até o dia 1º de abril',
  sourceTurn: 31,
  evidence: [evidenceAt(31, '00:42:10')],
  ...overrides,
});

/** A meeting of the general kind without an agenda (every entry's number null), chair and secretary known, no quorum rule. */
function makeRecord(overrides: Partial<MinutesRecord> = {}): MinutesRecord {
  return {
    kind: 'general',
    title: 'Reunião Ordinária do Conselho',
    chair: { name: 'Ana Souza', source: 'settings', evidence: null },
    secretary: { name: 'Bruno Lima', source: 'transcript', evidence: evidenceAt(2, '00:01:10') },
    attendees: [
      { name: 'Ana Souza', role: 'Presidente', email: 'ana@example.com', member: null },
      { name: 'Bruno Lima', role: null, email: null, member: null },
    ],
    absent: [],
    quorum: null,
    agenda: [{ number: null, title: 'Orçamento de 2027', discussion: 'A tesoureira apresentou o orçamento.\n\nOs conselheiros fizeram perguntas.' }],
    decisions: [makeDecision()],
    actionItems: [makeActionItem(), makeActionItem({ owner: null, ownerEmail: null, task: 'Convocar a assembleia.', dueDate: null, dueAsSaid: null, sourceTurn: 40, evidence: [] })],
    flags: [],
    ...overrides,
  };
}

const agenda: MinutesRecord['agenda'] = [
  { number: 1, title: 'Orçamento de 2027', discussion: 'A tesoureira apresentou o orçamento.' },
  { number: 2, title: 'Reforma da sede', discussion: null },
  { number: 3, title: 'Eleição da diretoria', discussion: 'Foi eleita a nova diretoria.' },
  { number: null, title: 'Festa de fim de ano', discussion: 'Sugerida a data de 12 de dezembro.' },
];

/** A majority of 9 members: 5 make the quorum. */
const quorumOf = (present: number): Quorum => ({ rule: { rule: 'majority' }, expected: 9, required: 5, present, met: present >= 5, presentMembers: [], absentMembers: [] });

function makeFacts(overrides: Partial<MinutesFacts> = {}): MinutesFacts {
  return {
    topic: 'Conselho',
    startTime: new Date('2027-03-10T02:30:00Z'),
    durationMinutes: 60,
    platform: 'Zoom',
    timeZone: 'America/Sao_Paulo',
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
/** The Markdown between a heading and the next heading of the same level or above. */
const sectionOf = (markdown: string, heading: string) => {
  const start = markdown.indexOf(`\n${heading}\n`);
  const level = heading.match(/^#+/)![0];
  const end = markdown.slice(start + heading.length + 2).search(new RegExp(`\n#{1,${level.length}} `));
  return end === -1 ? markdown.slice(start) : markdown.slice(start, start + heading.length + 2 + end);
};

const sections: Record<Language, { headings: string[]; closing: string; date: string }> = {
  'pt-BR': {
    headings: ['Abertura', 'Presentes', 'Ordem do dia', 'Discussão', 'Deliberações', 'Encaminhamentos', 'Encerramento'],
    closing: 'Nada mais havendo a tratar, a reunião foi encerrada, e eu, Bruno Lima, lavrei a presente ata',
    date: '9 de março de 2027',
  },
  en: {
    headings: ['Opening', 'Present', 'Agenda', 'Discussion', 'Resolutions', 'Action items', 'Closing'],
    closing: 'There being no further business, the meeting was closed. These minutes were taken by Bruno Lima',
    date: '9 March 2027',
  },
  es: {
    headings: ['Apertura', 'Presentes', 'Orden del día', 'Deliberación', 'Acuerdos', 'Tareas', 'Cierre'],
    closing: 'No habiendo más asuntos que tratar, se levantó la sesión, y yo, Bruno Lima, Secretario(a), redacté la presente acta',
    date: '9 de marzo de 2027',
  },
};

const kindsAndLanguages = languages.flatMap((language) => meetingKinds.map((kind) => [language, kind] as const));

describe('renderMinutesMarkdown', () => {
  it.each(Object.entries(sections))('writes the formal sections of a general meeting in %s, in order', (language, expected) => {
    const markdown = renderMinutesMarkdown(makeRecord(), makeFacts(), language as Language);
    const headings = headingsOf(markdown);
    expect(headings[0]).toMatch(/: Reunião Ordinária do Conselho$/);
    expect(headings.filter((heading) => expected.headings.includes(heading))).toEqual(expected.headings);
    expect(markdown).toContain(expected.closing);
    expect(markdown).toContain(expected.date);
  });

  it.each(kindsAndLanguages)('writes a %s ata of a %s meeting with the kind’s heading, formulas and attendance', (language, kind) => {
    const words = catalogOf(language).minutes;
    const markdown = renderMinutesMarkdown(makeRecord({ kind, agenda, quorum: quorumOf(7) }), makeFacts(), language);
    const headings = headingsOf(markdown);
    expect(headings[0]).toBe(`${words.kinds[kind].heading}: Reunião Ordinária do Conselho`);
    expect(headings).toEqual(expect.arrayContaining([words.openingHeading, words.kinds[kind].attendance, words.agenda, words.otherBusiness, words.closing]));
    expect(markdown).toContain(words.kinds[kind].closing('Bruno Lima'));
    expect(markdown).toMatch(/Ana Souza.*Bruno Lima/);
    expect(markdown).toContain(words.quorum.met({ present: 7, expected: 9, required: 5 }));
    expect(markdown).not.toMatch(/null|undefined|NaN|\[object/);
  });

  it.each([
    [
      'pt-BR',
      '# ATA DA REUNIÃO DO CONSELHO DE ADMINISTRAÇÃO: Reunião Ordinária do Conselho\n',
      'Aos 9 dias do mês de março de 2027, às 23:30 GMT-3, reuniram-se por Zoom os membros do Conselho de Administração abaixo relacionados, sob a presidência de Ana Souza, secretariados por Bruno Lima, para deliberar sobre a ordem do dia.',
      '## Conselheiros presentes\n\n- Ana Souza (Presidente)\n- Bruno Lima\n',
      'da qual eu, Bruno Lima, Secretário(a), lavrei a presente ata',
    ],
    [
      'en',
      '# MINUTES OF THE MEETING OF THE BOARD OF DIRECTORS: Reunião Ordinária do Conselho\n',
      'A meeting of the Board of Directors was held on 9 March 2027, at 23:30 GMT-3, by Zoom, attended by the directors listed below, with Ana Souza in the chair and Bruno Lima acting as secretary, to consider the agenda.',
      '## Directors present\n\n',
      'These minutes were taken by Bruno Lima, Secretary, and',
    ],
    [
      'es',
      '# ACTA DE LA REUNIÓN DEL CONSEJO DE ADMINISTRACIÓN: Reunião Ordinária do Conselho\n',
      'El 9 de marzo de 2027, a las 23:30 GMT-3, se reunieron por Zoom los miembros del Consejo de Administración abajo indicados, bajo la presidencia de Ana Souza, actuando como secretario(a) Bruno Lima, para tratar el orden del día.',
      '## Consejeros presentes\n\n',
      'y yo, Bruno Lima, Secretario(a), redacté la presente acta',
    ],
  ] as const)('writes the board’s formulas in %s', (language, heading, opening, attendance, closing) => {
    const markdown = renderMinutesMarkdown(makeRecord({ kind: 'board' }), makeFacts(), language);
    expect(markdown.startsWith(heading)).toBe(true);
    expect(markdown).toContain(`## ${catalogOf(language).minutes.openingHeading}\n\n${opening}\n`);
    expect(markdown).toContain(attendance);
    expect(markdown).toContain(closing);
  });

  it('lists guests apart from the members present', () => {
    const record = makeRecord({
      attendees: [
        { name: 'Ana Souza', role: null, email: null, member: true },
        { name: 'Carla Dias', role: 'Diretora financeira', email: null, member: false },
      ],
    });
    const markdown = renderMinutesMarkdown(record, makeFacts(), 'pt-BR');
    expect(markdown).toContain('## Presentes\n\n- Ana Souza\n\n**Participaram também:**\n\n- Carla Dias (Diretora financeira)\n');
    expect(renderMinutesMarkdown(makeRecord(), makeFacts(), 'pt-BR')).not.toContain('Participaram também');
  });

  it('names the absent', () => {
    expect(renderMinutesMarkdown(makeRecord({ absent: ['Davi Rocha', 'Elisa Prado'] }), makeFacts(), 'pt-BR')).toContain('**Ausentes:** Davi Rocha, Elisa Prado');
    expect(renderMinutesMarkdown(makeRecord(), makeFacts(), 'pt-BR')).not.toContain('Ausentes');
  });

  it('dates the meeting in its own time zone', () => {
    expect(renderMinutesMarkdown(makeRecord(), makeFacts(), 'pt-BR')).toContain('No dia 9 de março de 2027, às 23:30');
    expect(renderMinutesMarkdown(makeRecord(), makeFacts({ timeZone: 'UTC' }), 'pt-BR')).toContain('No dia 10 de março de 2027, às 02:30');
    expect(renderMinutesMarkdown(makeRecord(), makeFacts({ startTime: new Date('2027-03-01T15:00:00Z') }), 'pt-BR')).toContain('No dia 1º de março de 2027');
    expect(renderMinutesMarkdown(makeRecord({ kind: 'board' }), makeFacts({ startTime: new Date('2027-03-01T15:00:00Z') }), 'pt-BR')).toContain('Ao 1º dia do mês de março de 2027');
    expect(renderMinutesMarkdown(makeRecord(), makeFacts({ timeZone: 'Asia/Tokyo' }), 'en')).toContain('On 10 March 2027, at 11:30');
  });

  describe('the quorum', () => {
    it.each([
      ['pt-BR', 'Verificado o quórum de instalação, com a presença de 7 dos 9 membros (mínimo de 5), foi declarada instalada a reunião.'],
      ['en', 'A quorum being present, with 7 of the 9 members attending (a minimum of 5), the meeting was declared duly constituted.'],
      ['es', 'Verificado el quórum de constitución, con la presencia de 7 de los 9 miembros (mínimo de 5), se declaró válidamente constituida la reunión.'],
    ] as const)('is stated in %s after the opening formula when met, with no warning', (language, sentence) => {
      const { minutes } = catalogOf(language);
      const markdown = renderMinutesMarkdown(makeRecord({ kind: 'board', quorum: quorumOf(7) }), makeFacts(), language);
      const opening = sectionOf(markdown, `## ${minutes.openingHeading}`);
      const paragraphs = opening.split('\n\n').map((paragraph) => paragraph.trim());
      expect(paragraphs).toEqual([`## ${minutes.openingHeading}`, expect.stringContaining('Ana Souza'), sentence]);
      expect(markdown).not.toContain(minutes.quorum.warning);
    });

    it.each([
      ['pt-BR', 'Não foi atingido o quórum de instalação: estavam presentes 3 dos 9 membros, e o mínimo exigido é de 5.', '**Atenção:** esta ata foi sinalizada'],
      ['en', 'The quorum was not reached: 3 of the 9 members attended, against a minimum of 5.', '**Warning:** these minutes are flagged'],
      ['es', 'No se alcanzó el quórum de constitución: estaban presentes 3 de los 9 miembros, siendo el mínimo exigido de 5.', '**Atención:** esta acta queda señalada'],
    ] as const)('says in %s when it was not met, with a warning line', (language, sentence, warning) => {
      const markdown = renderMinutesMarkdown(makeRecord({ kind: 'board', quorum: quorumOf(3), flags: ['quorum_not_met'] }), makeFacts(), language);
      expect(markdown).toContain(`\n\n${sentence}\n\n${warning}`);
      const strong = tokensOf(markdown).filter((token): token is Tokens.Strong => token.type === 'strong');
      expect(strong.map((token) => token.text)).toContain(catalogOf(language).minutes.quorum.warningLabel);
    });

    it('says nothing of a quorum when the meeting has no quorum rule', () => {
      const markdown = renderMinutesMarkdown(makeRecord({ kind: 'board', quorum: null }), makeFacts(), 'pt-BR');
      expect(markdown).not.toMatch(/quórum|Atenção/);
    });
  });

  describe('an unknown chair or secretary', () => {
    it.each(languages)('is left out of the %s opening and closing, never guessed', (language) => {
      const unknown = { name: null, source: null, evidence: null };
      for (const kind of meetingKinds) {
        const markdown = renderMinutesMarkdown(makeRecord({ kind, chair: unknown, secretary: unknown, flags: ['chair_unknown', 'secretary_unknown'] }), makeFacts(), language);
        const opening = sectionOf(markdown, `## ${catalogOf(language).minutes.openingHeading}`);
        expect(opening).not.toMatch(/Ana Souza|Bruno Lima|presidência|presidencia|chair|secretar/i);
        expect(markdown).toContain(catalogOf(language).minutes.kinds[kind].closing(null));
        expect(markdown).not.toMatch(/null|undefined/);
      }
    });

    it('names the one that is known', () => {
      const markdown = renderMinutesMarkdown(makeRecord({ chair: { name: null, source: null, evidence: null } }), makeFacts(), 'pt-BR');
      expect(markdown).toContain('reuniram-se por Zoom os participantes abaixo relacionados, secretariados por Bruno Lima, para deliberar');
      expect(markdown).not.toContain('presidência');
    });
  });

  describe('the agenda', () => {
    it('lists every item by its number, marks those not discussed, and puts the rest under other business', () => {
      const markdown = renderMinutesMarkdown(makeRecord({ kind: 'board', agenda: [agenda[2]!, agenda[3]!, agenda[0]!, agenda[1]!] }), makeFacts(), 'pt-BR');
      expect(sectionOf(markdown, '## Ordem do dia')).toBe(
        ['', '## Ordem do dia', '', '1. Orçamento de 2027', '2. Reforma da sede *(Item não discutido.)*', '3. Eleição da diretoria', ''].join('\n'),
      );
      expect(sectionOf(markdown, '## Discussão')).toBe(
        [
          '',
          '## Discussão',
          '',
          '### 1. Orçamento de 2027',
          '',
          'A tesoureira apresentou o orçamento.',
          '',
          '### 2. Reforma da sede',
          '',
          'Item não discutido.',
          '',
          '### 3. Eleição da diretoria',
          '',
          'Foi eleita a nova diretoria.',
          '',
        ].join('\n'),
      );
      expect(sectionOf(markdown, '## Assuntos gerais')).toBe(['', '## Assuntos gerais', '', '### Festa de fim de ano', '', 'Sugerida a data de 12 de dezembro.', ''].join('\n'));
      const list = tokensOf(markdown).find((token): token is Tokens.List => token.type === 'list' && token.ordered)!;
      expect(list.items.map((item) => item.text)).toEqual(['Orçamento de 2027', 'Reforma da sede *(Item não discutido.)*', 'Eleição da diretoria']);
    });

    it.each([
      ['en', 'Not discussed.', 'Other business'],
      ['es', 'No tratado.', 'Asuntos varios'],
    ] as const)('words the items not discussed and other business in %s', (language, notDiscussed, otherBusiness) => {
      const markdown = renderMinutesMarkdown(makeRecord({ agenda }), makeFacts(), language);
      expect(markdown).toContain(`2. Reforma da sede *(${notDiscussed})*`);
      expect(markdown).toContain(`### 2. Reforma da sede\n\n${notDiscussed}\n`);
      expect(headingsOf(markdown)).toContain(otherBusiness);
    });

    it('numbers the subjects as they were taken when the meeting has no agenda, with no other business', () => {
      const subjects = [
        { number: null, title: 'Orçamento', discussion: 'Apresentado.' },
        { number: null, title: 'Sede', discussion: 'Discutida.' },
      ];
      const markdown = renderMinutesMarkdown(makeRecord({ agenda: subjects }), makeFacts(), 'pt-BR');
      expect(markdown).toContain('## Ordem do dia\n\n1. Orçamento\n2. Sede\n');
      expect(markdown).toContain('### 1. Orçamento\n\nApresentado.\n\n### 2. Sede\n\nDiscutida.\n');
      expect(markdown).not.toContain('Assuntos gerais');
      expect(renderMinutesMarkdown(makeRecord({ agenda: [] }), makeFacts(), 'pt-BR')).toContain('## Ordem do dia\n\nNenhuma registrada.\n');
    });
  });

  describe('references to the recording', () => {
    it.each([
      ['pt-BR', 'gravação, 00:14:05', 'turno 13'],
      ['en', 'recording, 00:14:05', 'turn 13'],
      ['es', 'grabación, 00:14:05', 'turno 13'],
    ] as const)('give in %s the time of the first evidence, else its turn counted from 1', (language, recording, turn) => {
      const withTime = renderMinutesMarkdown(makeRecord(), makeFacts(), language);
      expect(withTime).toMatch(new RegExp(`^1\\. Aprovado o orçamento de 2027\\. \\*\\(.*; ${recording}\\)\\*$`, 'm'));
      const withoutTime = renderMinutesMarkdown(makeRecord({ decisions: [makeDecision({ evidence: [evidenceAt(12, null), evidenceAt(14, '00:15:00')] })] }), makeFacts(), language);
      expect(withoutTime).toMatch(new RegExp(`; ${turn}\\)\\*$`, 'm'));
      const withoutEvidence = renderMinutesMarkdown(makeRecord({ decisions: [makeDecision({ evidence: [] })] }), makeFacts(), language);
      expect(withoutEvidence).toMatch(new RegExp(`; ${turn}\\)\\*$`, 'm'));
    });

    it('name the agenda item a decision belongs to', () => {
      const markdown = renderMinutesMarkdown(makeRecord({ agenda, decisions: [makeDecision({ agendaItem: 1 })] }), makeFacts(), 'pt-BR');
      expect(markdown).toContain('1. Aprovado o orçamento de 2027. *(Proposta por: Carla Dias; Votação: aprovada por unanimidade; item 1 da ordem do dia; gravação, 00:14:05)*');
      expect(renderMinutesMarkdown(makeRecord({ decisions: [makeDecision({ agendaItem: 3 })] }), makeFacts(), 'en')).toContain('; agenda item 3; recording, 00:14:05)*');
    });
  });

  describe('the action items', () => {
    it('are a table, one row each, with the due date in the ata’s language and a reference', () => {
      const markdown = renderMinutesMarkdown(makeRecord(), makeFacts(), 'pt-BR');
      expect(markdown).toContain(
        [
          '| Responsável | Tarefa | Prazo | Ref. |',
          '| --- | --- | --- | --- |',
          '| Bruno Lima | Publicar o orçamento aprovado. | 1 de abril de 2027 | gravação, 00:42:10 |',
          '| — | Convocar a assembleia. | a definir | turno 41 |',
        ].join('\n'),
      );
      const table = tableOf(markdown)!;
      expect(table.rows.map((row) => row.map((cell) => cell.text))).toEqual([
        ['Bruno Lima', 'Publicar o orçamento aprovado.', '1 de abril de 2027', 'gravação, 00:42:10'],
        ['—', 'Convocar a assembleia.', 'a definir', 'turno 41'],
      ]);
    });

    it.each([
      ['pt-BR', '31 de dezembro de 2027'],
      ['en', '31 December 2027'],
      ['es', '31 de diciembre de 2027'],
    ] as const)('date the deadline as %s writes it, whatever the time zone', (language, due) => {
      const record = makeRecord({ actionItems: [makeActionItem({ dueDate: '2027-12-31' })] });
      expect(tableOf(renderMinutesMarkdown(record, makeFacts({ timeZone: 'Pacific/Kiritimati' }), language))!.rows[0]![2]!.text).toBe(due);
      expect(tableOf(renderMinutesMarkdown(record, makeFacts({ timeZone: 'Pacific/Pago_Pago' }), language))!.rows[0]![2]!.text).toBe(due);
    });

    it('give the deadline as said when it could not be dated', () => {
      const markdown = renderMinutesMarkdown(makeRecord({ actionItems: [makeActionItem({ dueDate: null, dueAsSaid: 'antes da próxima assembleia' })] }), makeFacts(), 'pt-BR');
      expect(tableOf(markdown)!.rows[0]![2]!.text).toBe('antes da próxima assembleia');
    });
  });

  it('says "Nenhuma registrada." when there are no decisions or action items', () => {
    const markdown = renderMinutesMarkdown(makeRecord({ decisions: [], actionItems: [] }), makeFacts(), 'pt-BR');
    expect(markdown).toContain('## Deliberações\n\nNenhuma registrada.\n');
    expect(markdown).toContain('## Encaminhamentos\n\nNenhuma registrada.\n');
    expect(tableOf(markdown)).toBeUndefined();
    expect(renderMinutesMarkdown(makeRecord({ decisions: [] }), makeFacts(), 'en')).toContain('## Resolutions\n\nNone recorded.\n');
  });

  it('escapes Markdown and HTML in what the model wrote, so it stays text', () => {
    const hostile = '**x** <script>alert(1)</script> | pipes | [link](javascript:alert(1)) `code` _em_ # not a heading';
    const record = makeRecord({
      title: hostile,
      chair: { name: '**Ana**', source: 'transcript', evidence: null },
      attendees: [{ name: '| pipes |', role: '<b>chefe</b>', email: null, member: null }],
      absent: ['**Davi**'],
      agenda: [
        { number: 1, title: hostile, discussion: `${hostile}\n## Injected heading\n| a | b |\n| --- | --- |` },
        { number: null, title: `# ${hostile}`, discussion: '<img src=x onerror=alert(1)>' },
      ],
      decisions: [
        makeDecision({ text: hostile, proposedBy: '<img src=x onerror=alert(1)>', vote: { ...unanimous, method: 'counted', inFavour: 2, inFavourNames: ['*all*', '<b>Bruno</b>'] }, evidence: [evidenceAt(12, '<b>00:14:05</b>')] }),
      ],
      actionItems: [makeActionItem({ owner: 'Ana | Bruno', task: `${hostile}\nsecond line`, dueDate: null, dueAsSaid: '| 2027 |' })],
    });
    const markdown = renderMinutesMarkdown(record, makeFacts({ platform: '<iframe> | Zoom |' }), 'pt-BR');
    const tokens = tokensOf(markdown);

    expect(tokens.filter((token) => ['html', 'link', 'codespan'].includes(token.type))).toEqual([]);
    // Bold and italics are the template's own labels and references only.
    const strong = tokens.filter((token) => token.type === 'strong').map((token) => (token as Tokens.Strong).text);
    expect(strong.every((text) => /^[A-Za-zçãáéíóú()]+:$/.test(text))).toBe(true);
    expect(tokens.filter((token) => token.type === 'em').map((token) => (token as Tokens.Em).text)).toEqual([expect.stringMatching(/^\(/)]);
    expect(headingsOf(markdown).filter((heading) => /Injected|not a heading/.test(heading))).toHaveLength(3); // the title, the agenda item and the subject outside it
    expect(headingsOf(markdown)).not.toContain('Injected heading');
    const table = tableOf(markdown)!;
    expect(table.header).toHaveLength(4);
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0]).toHaveLength(4);

    const html = marked.parse(markdown, { async: false });
    expect(html).not.toMatch(/<(script|img|iframe|b|a)[\s>]/);
    expect(html).toContain('**x** &lt;script&gt;alert(1)&lt;/script&gt; | pipes | [link](javascript:alert(1)) `code` _em_ # not a heading');
  });

  it('keeps block syntax at the start of what the model wrote as text', () => {
    const record = makeRecord({
      attendees: [{ name: '1. Ana Souza', role: null, email: null, member: null }],
      agenda: [{ number: null, title: 'Orçamento', discussion: '- primeiro\n- segundo\n\n1. terceiro\n\n---\n\n    recuado\n\n+ quarto' }],
      decisions: [],
      actionItems: [],
    });
    const markdown = renderMinutesMarkdown(record, makeFacts(), 'pt-BR');
    const discussion = marked.lexer(markdown.slice(markdown.indexOf('### 1. Orçamento'), markdown.indexOf('## Deliberações')));
    expect(discussion.map((token) => token.type).filter((type) => type !== 'space')).toEqual(['heading', 'paragraph', 'paragraph', 'paragraph', 'paragraph', 'paragraph']);
    const attendance = tokensOf(markdown).find((token): token is Tokens.List => token.type === 'list')!;
    expect(attendance.items[0]!.tokens.map((token) => token.type)).toEqual(['text']);
  });
});

/** Words of 4 letters or more, lower-cased. */
const wordsIn = (text: string) => text.toLowerCase().match(/\p{L}{4,}/gu) ?? [];

/** The texts of a catalog's kinds, quorum and voting sections, functions called with sample values. */
function wordedTextsOf({ minutes }: Catalog): string[] {
  const date = { day: 9, month: 'x', year: 2027 };
  const counts = { present: 7, expected: 9, required: 5 };
  return [
    ...meetingKinds.flatMap((kind) => {
      const { opening, closing, ...texts } = minutes.kinds[kind];
      return [...Object.values(texts), opening({ date, time: '', place: '', chair: 'x', secretary: 'x' }), opening({ date, time: '', place: '', chair: null, secretary: null }), closing('x'), closing(null)];
    }),
    minutes.quorum.met(counts),
    minutes.quorum.notMet(counts),
    minutes.quorum.warningLabel,
    minutes.quorum.warning,
    ...Object.values(minutes.voting.outcome),
    ...Object.values(minutes.voting.method),
    ...[1, 2].flatMap((n) => [minutes.voting.inFavour(n), minutes.voting.against(n), minutes.voting.abstaining(n)]),
  ];
}

/** Words a language shares with another: not a leak. */
const cognates = new Set(['general']);
/** What the record itself says (names, the model's Portuguese text): not the catalog's. */
const recordWords = new Set(stringsIn(makeRecord({ agenda })).flatMap(wordsIn));

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return typeof value === 'object' && value !== null ? Object.values(value).flatMap(stringsIn) : [];
}

/** Every kind, with a quorum met and one not met, every vote method × outcome in its decisions. */
function fullAtasIn(language: Language): string[] {
  const decisions = [...voteMethods].flatMap((method) => [...voteOutcomes, null].map((outcome) => makeDecision({ outcome, vote: { ...unanimous, method, inFavour: 5, against: 1, abstaining: 1, againstNames: ['Bruno Lima'] } })));
  return meetingKinds.flatMap((kind) =>
    [quorumOf(7), quorumOf(3)].map((quorum) => renderMinutesMarkdown(makeRecord({ kind, quorum, agenda, decisions }), makeFacts(), language)),
  );
}

/** Words of `other`'s kinds, quorum and voting sections, not in `language`'s, found in `language`'s atas. */
function foreignWordsIn(language: Language, other: Language): string[] {
  const own = new Set(wordedTextsOf(catalogOf(language)).flatMap(wordsIn));
  const foreign = new Set(wordedTextsOf(catalogOf(other)).flatMap(wordsIn).filter((word) => !own.has(word) && !cognates.has(word) && !recordWords.has(word)));
  return [...new Set(fullAtasIn(language).flatMap(wordsIn).filter((word) => foreign.has(word)))];
}

describe('an ata in one language', () => {
  it.each(languages.flatMap((language) => languages.filter((other) => other !== language).map((other) => [language, other] as const)))(
    'in %s has no word of the %s kinds, quorum and voting sections',
    (language, other) => {
      expect(foreignWordsIn(language, other)).toEqual([]);
    },
  );

  it('catches an ata whose words come from another catalog', () => {
    const en = renderMinutesMarkdown(makeRecord({ kind: 'board', quorum: quorumOf(3) }), makeFacts(), 'en');
    const english = new Set(wordedTextsOf(catalogOf('en')).flatMap(wordsIn));
    const own = new Set(wordedTextsOf(catalogOf('pt-BR')).flatMap(wordsIn));
    expect(wordsIn(en).filter((word) => english.has(word) && !own.has(word) && !recordWords.has(word))).toEqual(expect.arrayContaining(['directors', 'quorum', 'flagged', 'chair', 'secretary']));
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
    const markdown = renderMinutesMarkdown(makeRecord({ decisions: [makeDecision({ text: 'Orçamento.', proposedBy: null, ...sample })] }), makeFacts(), language);
    expect(markdown).toContain(`${minutes.vote}: ${counted}; `);
  });

  it('says nothing of a vote the notes do not state, and only the outcome of one not put to a vote', () => {
    const { minutes, locale } = catalogOf('pt-BR');
    expect(voteResultOf({ outcome: null, vote: { ...unanimous, method: 'not_stated' } }, minutes.voting, locale)).toBeNull();
    expect(voteResultOf({ outcome: null, vote: { ...unanimous, method: 'counted' } }, minutes.voting, locale)).toBeNull();
    expect(voteResultOf({ outcome: 'no_vote', vote: unanimous }, minutes.voting, locale)).toBe('não submetida a votação');
    expect(voteResultOf({ outcome: null, vote: unanimous }, minutes.voting, locale)).toBe('por unanimidade');
    const markdown = renderMinutesMarkdown(makeRecord({ decisions: [makeDecision({ text: 'Orçamento.', proposedBy: null, outcome: null, vote: { ...unanimous, method: 'not_stated' } })] }), makeFacts(), 'pt-BR');
    expect(markdown).toContain('1. Orçamento. *(gravação, 00:14:05)*');
    const postponed = renderMinutesMarkdown(makeRecord({ decisions: [makeDecision({ text: 'Orçamento.', proposedBy: null, outcome: 'no_vote', vote: unanimous })] }), makeFacts(), 'pt-BR');
    expect(postponed).toContain('1. Orçamento. *(não submetida a votação; gravação, 00:14:05)*');
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
