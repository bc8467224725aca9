import { describe, expect, it } from 'vitest';
import type { MinutesNotes } from './minutes.notes.js';
import type { Chunk } from './minutes.chunks.js';
import { mergeNotes, normalise } from './minutes.merge.js';

type Decision = MinutesNotes['decisions'][number];
type ActionItem = MinutesNotes['actionItems'][number];

function makeNotes(overrides: Partial<MinutesNotes> = {}): MinutesNotes {
  return { title: 'Reunião do Conselho', presiding: null, presidingSourceTurn: null, secretary: null, secretarySourceTurn: null, attendees: [], agenda: [], decisions: [], actionItems: [], ...overrides };
}

/** A chunk of turns `from`..`to` whose first `overlap` turns were also in the chunk before. */
function makeChunk(from: number, to: number, overlap = 0): Chunk {
  const indices = Array.from({ length: to - from + 1 }, (_, offset) => from + offset);
  return {
    turns: indices.map((index) => ({ index, speaker: 'Ana', start: index * 10, end: index * 10 + 5, text: `turno ${index}` })),
    overlap: new Set(indices.slice(0, overlap)),
  };
}

const noVote: Decision['vote'] = { method: 'not_stated', inFavour: null, against: null, abstaining: null, inFavourNames: [], againstNames: [], abstainingNames: [] };
const decision = (sourceTurn: number, text: string, vote: Partial<Pick<Decision, 'outcome' | 'vote'>> = {}): Decision => ({
  text,
  proposedBy: null,
  outcome: null,
  vote: noVote,
  agendaItem: null,
  sourceTurn,
  ...vote,
});
const task = (sourceTurn: number, owner: string, text: string): ActionItem => ({ owner, task: text, due: null, sourceTurn });

describe('mergeNotes', () => {
  it('needs at least one part', () => {
    expect(() => mergeNotes([])).toThrow(/at least one part/);
  });

  it('returns the notes of a single chunk as they are', () => {
    const notes = makeNotes({
      presiding: 'Ana Souza',
      attendees: [{ name: 'Ana Souza', role: 'Presidente' }],
      agenda: [{ title: 'Orçamento', discussion: 'Discutido.', agendaItem: null }],
      decisions: [decision(3, 'Aprovado o orçamento.')],
      actionItems: [task(4, 'Bruno', 'Enviar o edital.')],
    });
    expect(mergeNotes([{ notes, chunk: makeChunk(0, 9) }])).toEqual(notes);
  });

  it('keeps each decision’s outcome and structured vote as the chunk gave them', () => {
    const counted = decision(12, 'Aprovado o orçamento.', {
      outcome: 'approved',
      vote: { method: 'counted', inFavour: 5, against: 1, abstaining: 1, inFavourNames: [], againstNames: ['Bruno Lima'], abstainingNames: ['Carla Dias'] },
    });
    const unanimous = decision(3, 'Adiada a reforma.', { outcome: 'postponed', vote: { ...noVote, method: 'unanimous' } });
    const merged = mergeNotes([
      { notes: makeNotes({ decisions: [unanimous, counted] }), chunk: makeChunk(0, 12) },
      { notes: makeNotes({ decisions: [counted] }), chunk: makeChunk(11, 20, 2) },
    ]);
    expect(merged.decisions).toEqual([unanimous, counted]);
  });

  it('takes the title from the first chunk and presiding/secretary from the first chunk that names them', () => {
    const merged = mergeNotes([
      { notes: makeNotes({ title: 'Primeira parte' }), chunk: makeChunk(0, 9) },
      { notes: makeNotes({ title: 'Segunda parte', presiding: 'Ana Souza' }), chunk: makeChunk(7, 19, 3) },
      { notes: makeNotes({ presiding: 'Carla Dias', secretary: 'Bruno Lima' }), chunk: makeChunk(17, 29, 3) },
    ]);
    expect(merged).toMatchObject({ title: 'Primeira parte', presiding: 'Ana Souza', secretary: 'Bruno Lima' });
    expect(mergeNotes([{ notes: makeNotes(), chunk: makeChunk(0, 3) }])).toMatchObject({ presiding: null, secretary: null });
  });

  it('lists each attendee once, whatever the case, accents or spacing of the name, keeping the first mention', () => {
    const merged = mergeNotes([
      { notes: makeNotes({ attendees: [{ name: 'José da Conceição', role: 'Presidente' }, { name: 'Inês Muñoz', role: null }] }), chunk: makeChunk(0, 9) },
      {
        notes: makeNotes({
          attendees: [
            { name: 'jose DA  conceicao', role: null },
            { name: 'INES MUNOZ', role: 'Tesoureira' },
            { name: ' Inês Muñoz ', role: null },
            { name: 'Bruno Lima', role: 'Secretário' },
          ],
        }),
        chunk: makeChunk(7, 19, 3),
      },
    ]);
    expect(merged.attendees).toEqual([
      { name: 'José da Conceição', role: 'Presidente' },
      { name: 'Inês Muñoz', role: null },
      { name: 'Bruno Lima', role: 'Secretário' },
    ]);
  });

  it('normalises case, accents and spacing only', () => {
    expect(normalise('  JOSÉ   da\tConceição ')).toBe('jose da conceicao');
    expect(normalise('Ana Souza')).not.toBe(normalise('Ana Sousa'));
  });

  it('merges agenda items with the same title, in the order first taken, without changing the input', () => {
    const first = makeNotes({ agenda: [{ title: 'Orçamento 2027', discussion: 'Início da discussão.', agendaItem: null }, { title: 'Reforma da sede', discussion: 'Apresentada.', agendaItem: null }] });
    const second = makeNotes({ agenda: [{ title: 'ORCAMENTO 2027', discussion: 'Fim da discussão.', agendaItem: null }, { title: 'Eleições', discussion: 'Marcadas.', agendaItem: null }] });
    const merged = mergeNotes([
      { notes: first, chunk: makeChunk(0, 9) },
      { notes: second, chunk: makeChunk(7, 19, 3) },
    ]);
    expect(merged.agenda).toEqual([
      { title: 'Orçamento 2027', discussion: 'Início da discussão.\n\nFim da discussão.', agendaItem: null },
      { title: 'Reforma da sede', discussion: 'Apresentada.', agendaItem: null },
      { title: 'Eleições', discussion: 'Marcadas.', agendaItem: null },
    ]);
    expect(first.agenda[0]!.discussion).toBe('Início da discussão.');
  });

  it('keeps once what two chunks found in their overlap, keeps everything else, sorted by turn', () => {
    const merged = mergeNotes([
      {
        notes: makeNotes({
          decisions: [decision(3, 'Aprovado o orçamento.'), decision(8, 'Aprovada a reforma.'), decision(8, 'Aprovado o prazo da reforma.')],
          actionItems: [task(9, 'Bruno', 'Publicar o edital.')],
        }),
        chunk: makeChunk(0, 9),
      },
      {
        notes: makeNotes({
          // 8 and 9 were seen by the first chunk too: the same findings again, worded differently.
          decisions: [decision(15, 'Aprovado o orçamento.'), decision(8, 'A reforma foi aprovada.'), decision(7, 'Aprovada a ata anterior.')],
          actionItems: [task(12, 'Carla', 'Convocar a assembleia.'), task(9, 'Bruno', 'Publicar o edital da reforma.'), task(8, 'Ana', 'Contratar a obra.')],
        }),
        chunk: makeChunk(7, 19, 3),
      },
    ]);
    expect(merged.decisions).toEqual([
      decision(3, 'Aprovado o orçamento.'),
      decision(7, 'Aprovada a ata anterior.'), // in the overlap, but the first chunk had found nothing there
      decision(8, 'Aprovada a reforma.'),
      decision(8, 'Aprovado o prazo da reforma.'), // two findings of one chunk on one turn both stay
      decision(15, 'Aprovado o orçamento.'), // same words, another turn: another decision
    ]);
    expect(merged.actionItems).toEqual([
      task(8, 'Ana', 'Contratar a obra.'), // turn 8 had a decision, not a task, in the first chunk
      task(9, 'Bruno', 'Publicar o edital.'),
      task(12, 'Carla', 'Convocar a assembleia.'),
    ]);
  });

  it('recognises repeats across each cut of a long meeting', () => {
    const merged = mergeNotes([
      { notes: makeNotes({ decisions: [decision(9, 'Primeira.')] }), chunk: makeChunk(0, 9) },
      { notes: makeNotes({ decisions: [decision(9, 'Primeira, de novo.'), decision(19, 'Segunda.')] }), chunk: makeChunk(7, 19, 3) },
      { notes: makeNotes({ decisions: [decision(19, 'Segunda, de novo.'), decision(25, 'Terceira.')] }), chunk: makeChunk(17, 29, 3) },
    ]);
    expect(merged.decisions.map((item) => item.text)).toEqual(['Primeira.', 'Segunda.', 'Terceira.']);
  });
});
