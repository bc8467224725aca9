import { zodResponseFormat } from 'openai/helpers/zod';
import { describe, expect, it } from 'vitest';
import { minutesNotes, storedMinutesNotes } from './minutes.notes.js';
import { voteFromText } from './minutes.vote-cues.js';

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; required?: string[]; additionalProperties?: boolean; items?: JsonSchema };

/** Every object schema in `schema`, however deep. */
function objectsOf(schema: JsonSchema): JsonSchema[] {
  const children = [...Object.values(schema.properties ?? {}), ...(schema.items ? [schema.items] : [])];
  return [...(schema.properties ? [schema] : []), ...children.flatMap(objectsOf)];
}

describe('the minutes notes schema as OpenAI receives it', () => {
  // Structured outputs with strict: true refuse a schema whose objects allow extra keys or leave keys optional.
  it('is accepted by strict structured outputs: every object closed, every key required', () => {
    const { json_schema } = zodResponseFormat(minutesNotes, 'ata_notes');
    expect(json_schema.strict).toBe(true);
    const objects = objectsOf(json_schema.schema as JsonSchema);
    expect(objects.length).toBeGreaterThanOrEqual(5);
    for (const object of objects) {
      expect(object.additionalProperties).toBe(false);
      expect([...(object.required ?? [])].sort()).toEqual(Object.keys(object.properties!).sort());
    }
  });
});

const notVoted = { method: 'not_stated', inFavour: null, against: null, abstaining: null, inFavourNames: [], againstNames: [], abstainingNames: [] };
/** Notes as stored before votes were data: no role turns, no agenda item numbers, the vote as text, `dueDate`. */
const legacyNotes = (vote: string | null, text = 'Aprovado o orçamento de 2027.') => ({
  title: 'Conselho',
  presiding: 'Ana Souza',
  secretary: null,
  attendees: [],
  agenda: [{ title: 'Orçamento', discussion: 'Discutido o orçamento.' }],
  decisions: [{ text, proposedBy: 'Carla Dias', vote, sourceTurn: 4 }],
  actionItems: [{ owner: 'Bruno Lima', task: 'Enviar o edital.', dueDate: '2027-03-15', sourceTurn: 5 }],
});
/** Notes as the model writes them today. */
const currentNotes = {
  title: 'Conselho',
  presiding: 'Ana Souza',
  presidingSourceTurn: 0,
  secretary: 'Bruno Lima',
  secretarySourceTurn: 1,
  attendees: [{ name: 'Ana Souza', role: null }],
  agenda: [{ title: 'Orçamento', discussion: 'Discutido o orçamento.', agendaItem: 1 }],
  decisions: [{ text: 'Adiado.', proposedBy: null, outcome: 'postponed', vote: notVoted, agendaItem: 1, sourceTurn: 1 }],
  actionItems: [{ owner: 'Bruno Lima', task: 'Enviar o edital.', due: 'até sexta-feira', sourceTurn: 2 }],
};

describe('notes stored before votes were data', () => {
  it('are refused by the model’s schema, which has no free-text vote', () => {
    expect(minutesNotes.safeParse(legacyNotes('unanimous')).success).toBe(false);
  });

  it('still parse, their text vote read into method, counts and outcome', () => {
    const decisionOf = (vote: string | null, text?: string) => storedMinutesNotes.parse(legacyNotes(vote, text)).decisions[0];
    expect(decisionOf('unanimous')).toEqual({
      text: 'Aprovado o orçamento de 2027.',
      proposedBy: 'Carla Dias',
      outcome: 'approved',
      vote: { ...notVoted, method: 'unanimous' },
      agendaItem: null,
      sourceTurn: 4,
    });
    expect(decisionOf('5 in favour, 1 against, 2 abstentions', 'Rejeitada a proposta.')).toMatchObject({
      outcome: 'rejected',
      vote: { method: 'counted', inFavour: 5, against: 1, abstaining: 2 },
    });
    expect(decisionOf('consensus', 'Decidido o calendário.')).toMatchObject({ outcome: 'approved', vote: { method: 'consensus' } });
    expect(decisionOf(null, 'Decidido o calendário.')).toMatchObject({ outcome: null, vote: notVoted });
  });

  it('still parse without role turns and agenda item numbers (null), their `dueDate` read as `due`', () => {
    const stored = storedMinutesNotes.parse(legacyNotes('unanimous'));
    expect(stored).toMatchObject({ presiding: 'Ana Souza', presidingSourceTurn: null, secretarySourceTurn: null });
    expect(stored.agenda).toEqual([{ title: 'Orçamento', discussion: 'Discutido o orçamento.', agendaItem: null }]);
    expect(stored.actionItems).toEqual([{ owner: 'Bruno Lima', task: 'Enviar o edital.', due: '2027-03-15', sourceTurn: 5 }]);
    const noDue = { ...legacyNotes(null), actionItems: [{ owner: null, task: 'Revisar.', dueDate: null, sourceTurn: 1 }] };
    expect(storedMinutesNotes.parse(noDue).actionItems).toEqual([{ owner: null, task: 'Revisar.', due: null, sourceTurn: 1 }]);
  });

  it('parse as they are when already in today’s shape', () => {
    expect(storedMinutesNotes.parse(currentNotes)).toEqual(currentNotes);
    expect(minutesNotes.parse(currentNotes)).toEqual(currentNotes);
  });

  it('are refused by the model’s schema without role turns, agenda item numbers or `due`', () => {
    const { presidingSourceTurn: _presidingSourceTurn, ...withoutRoleTurn } = currentNotes;
    expect(minutesNotes.safeParse(withoutRoleTurn).success).toBe(false);
    expect(minutesNotes.safeParse({ ...currentNotes, decisions: [{ ...currentNotes.decisions[0], agendaItem: undefined }] }).success).toBe(false);
    expect(minutesNotes.safeParse({ ...currentNotes, actionItems: [{ owner: null, task: 'x', dueDate: null, sourceTurn: 1 }] }).success).toBe(false);
  });
});

describe('voteFromText (the emulator’s and legacy notes’ cues)', () => {
  it.each([
    ['Fica aprovado por unanimidade o orçamento.', 'approved', { method: 'unanimous' }],
    ['The budget was approved unanimously.', 'approved', { method: 'unanimous' }],
    ['Aprobado por unanimidad.', 'approved', { method: 'unanimous' }],
    ['Aprovado com 5 votos a favor, 1 contra e 2 abstenções.', 'approved', { method: 'counted', inFavour: 5, against: 1, abstaining: 2 }],
    ['Está aprovado por maioria, com cinco votos a favor e a abstenção do conselheiro Fernando.', 'approved', { method: 'counted', inFavour: 5, against: null, abstaining: 1, abstainingNames: ['Fernando'] }],
    ['Rechazada con dos votos a favor y tres en contra.', 'rejected', { method: 'counted', inFavour: 2, against: 3 }],
    ['O item foi adiado para a próxima reunião.', 'postponed', { method: 'not_stated' }],
    ['Aprovado por aclamação.', 'approved', { method: 'acclamation' }],
    ['Decidimos por consenso.', 'approved', { method: 'consensus' }],
    ['Decidido o calendário.', null, { method: 'not_stated', inFavour: null, against: null, abstaining: null }],
    ['A proposta não foi aprovada.', 'rejected', { method: 'not_stated' }],
    ['The motion was not approved.', 'rejected', { method: 'not_stated' }],
    ['La propuesta no fue aprobada.', 'rejected', { method: 'not_stated' }],
    ['Aprovado. Votou contra o conselheiro Paulo Azevedo.', 'approved', { method: 'not_stated', againstNames: ['Paulo Azevedo'] }],
    ['Aprovado com 4 votos a favor e 1 contra. Against: Paulo Azevedo.', 'approved', { method: 'counted', inFavour: 4, against: 1, againstNames: ['Paulo Azevedo'] }],
    ['Aprovado, com abstenção de Camila Rocha e Diego Martins.', 'approved', { abstainingNames: ['Camila Rocha', 'Diego Martins'] }],
    ['Aprobado con la abstención de Camila Rocha.', 'approved', { abstainingNames: ['Camila Rocha'] }],
    ['Approved; Paulo Azevedo and Mary Jones voted against, Tom Lee abstained.', 'approved', { againstNames: ['Paulo Azevedo', 'Mary Jones'], abstainingNames: ['Tom Lee'] }],
    ['In favour: Ana Souza, Bruno Lima. Against: none.', null, { inFavourNames: ['Ana Souza', 'Bruno Lima'], againstNames: [] }],
    ['Aprovado. O conselheiro Paulo votou a favor da proposta.', 'approved', { inFavourNames: ['Paulo'] }],
    ['Aprovado com o voto contrário do conselheiro Paulo Azevedo.', 'approved', { againstNames: ['Paulo Azevedo'] }],
    ['Aprovada a proposta sem votos contra.', 'approved', { againstNames: [] }],
    ['Aprovadas por 5 votos a favor e 1 abstenção, abstenção do acionista Rafael Dantas.', 'approved', { method: 'counted', abstaining: 1, abstainingNames: ['Rafael Dantas'] }],
    ['Aprovada. Votou contra o acionista Rafael Dantas; abstenção de Cristina Vasconcelos.', 'approved', { againstNames: ['Rafael Dantas'], abstainingNames: ['Cristina Vasconcelos'] }],
    ['Rejeitada por 2 votos a favor e 4 contra. Votaram a favor os acionistas Vitor Amaral e Hélio Matsumoto.', 'rejected', { inFavour: 2, against: 4, inFavourNames: ['Vitor Amaral', 'Hélio Matsumoto'] }],
    ['Rechazada. Votaron a favor los accionistas Juan Pérez y Ana Gómez.', 'rejected', { inFavourNames: ['Juan Pérez', 'Ana Gómez'] }],
    ['Approved. Voted in favour: Tom Lee and Mary Jones; the shareholder Ann Roe voted against.', 'approved', { inFavourNames: ['Tom Lee', 'Mary Jones'], againstNames: ['Ann Roe'] }],
    ['Aprobado con la abstención de la propietaria Teresa Molina y el voto en contra del condómino Luis Gil.', 'approved', { abstainingNames: ['Teresa Molina'], againstNames: ['Luis Gil'] }],
    ['Aprovado. Votou contra a sócia Marta Reis; abstenção do diretor Paulo Lins.', 'approved', { againstNames: ['Marta Reis'], abstainingNames: ['Paulo Lins'] }],
  ] as const)('reads %j', (text, outcome, vote) => {
    expect(voteFromText(text)).toMatchObject({ outcome, vote: { inFavourNames: [], againstNames: [], abstainingNames: [], ...vote } });
  });
});
