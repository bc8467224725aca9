import { describe, expect, it } from 'vitest';
import type { MinutesNotes } from './minutes.notes.js';
import type { IndexedTurn } from './minutes.prompt.js';
import { minutesRecord } from './minutes.record.js';
import { buildMinutesRecord, effectiveSettings, requiredFor, type EffectiveSettings, type Invitee } from './minutes.record-builder.js';

const turns: IndexedTurn[] = [
  { index: 0, speaker: 'Helena Prado', start: 3, end: 8, text: 'Declaro aberta a reunião do conselho.' },
  { index: 1, speaker: 'Ricardo Menezes', start: 3725.4, end: 3730, text: 'Eu secretario esta reunião.' },
  { index: 2, speaker: 'Helena Prado', start: 3800, end: 3810, text: `Aprovado o orçamento de 2027 por unanimidade. ${'Longa fala. '.repeat(80)}` },
  { index: 3, speaker: 'Marcos', start: null, end: null, text: 'Eu envio o relatório até sexta-feira.' },
];

const noVote = { method: 'not_stated' as const, inFavour: null, against: null, abstaining: null, inFavourNames: [], againstNames: [], abstainingNames: [] };

function makeNotes(overrides: Partial<MinutesNotes> = {}): MinutesNotes {
  return {
    title: 'Reunião do Conselho',
    presiding: 'Helena Prado',
    presidingSourceTurn: 0,
    secretary: 'Ricardo Menezes',
    secretarySourceTurn: 1,
    attendees: [
      { name: 'Helena Prado', role: null },
      { name: 'Ricardo Menezes', role: null },
      { name: 'Marcos', role: null },
    ],
    agenda: [
      { title: 'Orçamento', discussion: 'Discutido o orçamento.', agendaItem: 1 },
      { title: 'Festa de fim de ano', discussion: 'Levantada a ideia.', agendaItem: null },
    ],
    decisions: [{ text: 'Aprovado o orçamento de 2027.', proposedBy: 'Helena Prado', outcome: 'approved', vote: { ...noVote, method: 'unanimous' }, agendaItem: 1, sourceTurn: 2 }],
    actionItems: [{ owner: 'Marcos', task: 'Enviar o relatório.', due: 'até sexta-feira', sourceTurn: 3 }],
    ...overrides,
  };
}

const members = [
  { name: 'Helena Prado', email: 'helena@example.com' },
  { name: 'Ricardo Menezes', email: 'ricardo@example.com' },
  { name: 'Marcos Tavares', email: 'marcos@example.com' },
  { name: 'Beatriz Lins', email: 'beatriz@example.com' },
  { name: 'Sérgio Bastos' },
];

function settingsWith(overrides: Partial<EffectiveSettings> = {}): EffectiveSettings {
  return { kind: 'board', agenda: ['Orçamento', 'Eleição do auditor'], members, quorum: { rule: 'majority' }, chair: null, secretary: null, ...overrides };
}

// Tuesday 9 March 2027, 10:00 in São Paulo.
const startTime = new Date('2027-03-09T13:00:00Z');
const build = (notes = makeNotes(), settings = settingsWith(), invitees: Invitee[] = []) =>
  minutesRecord.parse(buildMinutesRecord({ notes, settings, invitees, turns, startTime, timeZone: 'America/Sao_Paulo' }));

describe('buildMinutesRecord', () => {
  it('takes the chair and secretary from the turns the model cited, with the evidence', () => {
    const record = build();
    expect(record.chair).toEqual({ name: 'Helena Prado', source: 'transcript', evidence: { turn: 0, time: '00:00:03', speaker: 'Helena Prado', quote: 'Declaro aberta a reunião do conselho.' } });
    expect(record.secretary).toMatchObject({ name: 'Ricardo Menezes', source: 'transcript', evidence: { turn: 1, time: '01:02:05' } });
    expect(record.flags).not.toContain('chair_unknown');
  });

  it("prefers the meeting's settings, and leaves a role the transcript does not show empty and flagged", () => {
    const record = build(makeNotes({ presiding: 'Marcos', presidingSourceTurn: null, secretary: 'Ricardo Menezes', secretarySourceTurn: 99 }), settingsWith({ secretary: 'Beatriz Lins' }));
    expect(record.chair).toEqual({ name: null, source: null, evidence: null });
    expect(record.secretary).toEqual({ name: 'Beatriz Lins', source: 'settings', evidence: null });
    expect(record.flags).toEqual(expect.arrayContaining(['chair_unknown']));
    expect(record.flags).not.toContain('secretary_unknown');
  });

  it('counts the quorum over the expected members, a partial name matching its member', () => {
    const record = build();
    expect(record.quorum).toEqual({
      rule: { rule: 'majority' },
      expected: 5,
      required: 3,
      present: 3,
      met: true,
      presentMembers: ['Helena Prado', 'Ricardo Menezes', 'Marcos Tavares'],
      absentMembers: ['Beatriz Lins', 'Sérgio Bastos'],
    });
    expect(record.absent).toEqual(['Beatriz Lins', 'Sérgio Bastos']);
    expect(record.flags).not.toContain('quorum_not_met');
    const guest = build(makeNotes({ attendees: [...makeNotes().attendees, { name: 'Carla Dias', role: 'Diretora financeira' }] }));
    expect(guest.attendees.map((person) => [person.name, person.member])).toEqual([
      ['Helena Prado', true],
      ['Ricardo Menezes', true],
      ['Marcos Tavares', true],
      ['Carla Dias', false],
    ]);
    expect(build(makeNotes(), settingsWith({ members: null })).attendees.every((person) => person.member === null)).toBe(true);
  });

  it('flags a quorum not met, and a rule with nobody expected as unknown', () => {
    const notMet = build(makeNotes(), settingsWith({ quorum: { rule: 'count', count: 4 } }));
    expect(notMet.quorum).toMatchObject({ required: 4, present: 3, met: false });
    expect(notMet.flags).toContain('quorum_not_met');
    const unknown = build(makeNotes(), settingsWith({ members: null }));
    expect(unknown.quorum).toBeNull();
    expect(unknown.flags).toContain('quorum_unknown');
  });

  it('counts invitees as expected without a members list, those who joined on Zoom as present', () => {
    const invitees: Invitee[] = [
      { name: 'Helena Prado', email: 'helena@example.com', joinedAt: null },
      { name: 'Joana Dias', email: 'joana@example.com', joinedAt: new Date() },
      { name: 'Pedro Alves', email: 'pedro@example.com', joinedAt: null },
    ];
    const record = build(makeNotes(), settingsWith({ members: null }), invitees);
    expect(record.attendees.map((person) => person.name)).toEqual(['Helena Prado', 'Ricardo Menezes', 'Marcos', 'Joana Dias']);
    expect(record.attendees[0]!.email).toBe('helena@example.com');
    expect(record.quorum).toMatchObject({ expected: 3, present: 2, required: 2, met: true, absentMembers: ['Pedro Alves'] });
  });

  it('keeps every agenda item, marks one not discussed, and puts the rest under other business', () => {
    const record = build();
    expect(record.agenda).toEqual([
      { number: 1, title: 'Orçamento', discussion: 'Discutido o orçamento.' },
      { number: 2, title: 'Eleição do auditor', discussion: null },
      { number: null, title: 'Festa de fim de ano', discussion: 'Levantada a ideia.' },
    ]);
    expect(record.flags).toContain('agenda_items_not_discussed');
  });

  it('files an agenda number the agenda does not have as outside it', () => {
    const notes = makeNotes();
    notes.decisions[0]!.agendaItem = 7;
    expect(build(notes).decisions[0]!.agendaItem).toBeNull();
  });

  it('gives decisions and action items their evidence, a long turn cut, and owners and due dates resolved', () => {
    const record = build();
    const [decision] = record.decisions;
    expect(decision!.evidence[0]).toMatchObject({ turn: 2, time: '01:03:20', speaker: 'Helena Prado' });
    expect(decision!.evidence[0]!.quote.length).toBe(500);
    expect(decision!.evidence[0]!.quote.endsWith('…')).toBe(true);
    expect(record.actionItems).toEqual([
      {
        owner: 'Marcos Tavares',
        ownerEmail: 'marcos@example.com',
        task: 'Enviar o relatório.',
        dueDate: '2027-03-12',
        dueAsSaid: 'até sexta-feira',
        sourceTurn: 3,
        evidence: [{ turn: 3, time: null, speaker: 'Marcos', quote: 'Eu envio o relatório até sexta-feira.' }],
      },
    ]);
  });

  it('cites nothing for a turn the transcript does not have', () => {
    const notes = makeNotes();
    notes.actionItems[0]!.sourceTurn = 40;
    expect(build(notes).actionItems[0]!.evidence).toEqual([]);
  });
});

describe('requiredFor', () => {
  it('reads majority, fractions and counts', () => {
    expect([requiredFor({ rule: 'majority' }, 9), requiredFor({ rule: 'majority' }, 10)]).toEqual([5, 6]);
    expect(requiredFor({ rule: 'fraction', fraction: 0.6667 }, 9)).toBe(6);
    expect(requiredFor({ rule: 'fraction', fraction: 0.6667 }, 300)).toBe(200);
    expect(requiredFor({ rule: 'fraction', fraction: 2 / 3 }, 9)).toBe(6);
    expect(requiredFor({ rule: 'fraction', fraction: 0.51 }, 10)).toBe(6);
    expect(requiredFor({ rule: 'fraction', fraction: 0.5 }, 9)).toBe(5);
    expect(requiredFor({ rule: 'count', count: 4 }, 9)).toBe(4);
  });
});

describe('effectiveSettings', () => {
  it("takes the request's own settings over the meeting's, and the meeting's agenda line by line", () => {
    const meeting = { kind: 'board' as const, agenda: '1. Orçamento\n2) Auditor\n\n- Eleições', members: null, quorum: { rule: 'majority' as const }, chair: 'Helena Prado', secretary: null };
    expect(effectiveSettings(meeting, {})).toEqual({ kind: 'board', agenda: ['Orçamento', 'Auditor', 'Eleições'], members: null, quorum: { rule: 'majority' }, chair: 'Helena Prado', secretary: null });
    expect(effectiveSettings(meeting, { kind: 'general', agenda: ['Só isto'], secretary: 'Ricardo' })).toMatchObject({ kind: 'general', agenda: ['Só isto'], chair: 'Helena Prado', secretary: 'Ricardo' });
  });
});
