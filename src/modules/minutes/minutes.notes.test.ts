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
const legacyNotes = (vote: string | null, text = 'Aprovado o orçamento de 2027.') => ({
  title: 'Conselho',
  presiding: null,
  secretary: null,
  attendees: [],
  agenda: [],
  decisions: [{ text, proposedBy: 'Carla Dias', vote, sourceTurn: 4 }],
  actionItems: [],
});

describe('notes stored before votes were data', () => {
  it('are refused by the model’s schema, which has no free-text vote', () => {
    expect(minutesNotes.safeParse(legacyNotes('unanimous')).success).toBe(false);
  });

  it('still parse, their text vote read into method, counts and outcome', () => {
    const decisionOf = (vote: string | null, text?: string) => storedMinutesNotes.parse(legacyNotes(vote, text)).decisions[0];
    expect(decisionOf('unanimous')).toEqual({ text: 'Aprovado o orçamento de 2027.', proposedBy: 'Carla Dias', outcome: 'approved', vote: { ...notVoted, method: 'unanimous' }, sourceTurn: 4 });
    expect(decisionOf('5 in favour, 1 against, 2 abstentions', 'Rejeitada a proposta.')).toMatchObject({
      outcome: 'rejected',
      vote: { method: 'counted', inFavour: 5, against: 1, abstaining: 2 },
    });
    expect(decisionOf('consensus', 'Decidido o calendário.')).toMatchObject({ outcome: 'approved', vote: { method: 'consensus' } });
    expect(decisionOf(null, 'Decidido o calendário.')).toMatchObject({ outcome: null, vote: notVoted });
  });

  it('parse as they are when already structured', () => {
    const notes = { ...legacyNotes(null), decisions: [{ text: 'Adiado.', proposedBy: null, outcome: 'postponed', vote: notVoted, sourceTurn: 1 }] };
    expect(storedMinutesNotes.parse(notes)).toEqual(notes);
    expect(minutesNotes.parse(notes)).toEqual(notes);
  });
});

describe('voteFromText (the emulator’s and legacy notes’ cues)', () => {
  it.each([
    ['Fica aprovado por unanimidade o orçamento.', 'approved', { method: 'unanimous' }],
    ['The budget was approved unanimously.', 'approved', { method: 'unanimous' }],
    ['Aprobado por unanimidad.', 'approved', { method: 'unanimous' }],
    ['Aprovado com 5 votos a favor, 1 contra e 2 abstenções.', 'approved', { method: 'counted', inFavour: 5, against: 1, abstaining: 2 }],
    ['Está aprovado por maioria, com cinco votos a favor e a abstenção do conselheiro Fernando.', 'approved', { method: 'counted', inFavour: 5, against: null, abstaining: 1 }],
    ['Rechazada con dos votos a favor y tres en contra.', 'rejected', { method: 'counted', inFavour: 2, against: 3 }],
    ['O item foi adiado para a próxima reunião.', 'postponed', { method: 'not_stated' }],
    ['Aprovado por aclamação.', 'approved', { method: 'acclamation' }],
    ['Decidimos por consenso.', 'approved', { method: 'consensus' }],
    ['Decidido o calendário.', null, { method: 'not_stated', inFavour: null, against: null, abstaining: null }],
  ] as const)('reads %j', (text, outcome, vote) => {
    expect(voteFromText(text)).toMatchObject({ outcome, vote: { inFavourNames: [], againstNames: [], abstainingNames: [], ...vote } });
  });
});
