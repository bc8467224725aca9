import { describe, expect, it } from 'vitest';
import { loadCases } from './cases.js';
import { producedRecord, type AnswerKey, type ProducedRecord } from './eval.schemas.js';
import { rates, scoreCase, scoredFields, totalOf, type ScoredField } from './score.js';

const key = loadCases({ ids: ['br-board-quarterly'] })[0]!.key;

/** What a perfect product would answer for a key: every fact right, in the record's shape. */
function perfectRecord(answer: AnswerKey): ProducedRecord {
  const items = [...answer.agenda.discussed.map((number) => ({ number, discussion: 'Discutido.' })), ...answer.agenda.notDiscussed.map((number) => ({ number, discussion: null }))];
  return producedRecord.parse({
    chair: { name: answer.chair },
    secretary: { name: answer.secretary },
    attendees: answer.present.map((name) => ({ name })),
    absent: answer.absent,
    quorum: answer.quorum,
    agenda: [...items, ...Array.from({ length: answer.agenda.offAgenda }, () => ({ number: null, discussion: 'Fora da pauta.' }))],
    decisions: answer.decisions.map((decision) => ({ ...decision, text: decision.summary, evidence: [{ time: decision.time }] })),
    actionItems: answer.actionItems.map((item) => ({ ...item, task: item.summary, evidence: [{ time: item.time }] })),
  });
}

const f1Of = (record: ProducedRecord, field: ScoredField) => rates(scoreCase(key, record).fields[field]);

describe('scoreCase', () => {
  it('gives a perfect record 1.0 in every field', () => {
    const score = scoreCase(key, perfectRecord(key));
    for (const field of scoredFields) expect(rates(score.fields[field]), field).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(score.mismatches).toEqual([]);
    expect(rates(totalOf(score.fields)).f1).toBe(1);
  });

  it('pairs by time within the tolerance: a few seconds off still counts, a minute off does not', () => {
    const record = perfectRecord(key);
    record.decisions[0]!.evidence = [{ time: shift(key.decisions[0]!.time, 4) }];
    expect(f1Of(record, 'decisions').recall).toBe(1);
    record.decisions[0]!.evidence = [{ time: shift(key.decisions[0]!.time, 60) }];
    expect(f1Of(record, 'decisions').recall).toBeLessThan(1);
  });

  it('lowers recall, not precision, when a decision is missing', () => {
    const record = perfectRecord(key);
    record.decisions.splice(1, 1);
    const decisions = f1Of(record, 'decisions');
    expect(decisions.recall).toBe((key.decisions.length - 1) / key.decisions.length);
    expect(decisions.precision).toBe(1);
    expect(f1Of(record, 'decision.outcome').recall).toBeLessThan(1);
    expect(scoreCase(key, record).mismatches.join('\n')).toMatch(/decision at .* not found/);
  });

  it('lowers the vote field, and only it, when a count is wrong', () => {
    const record = perfectRecord(key);
    const counted = record.decisions.find((decision) => decision.vote.method === 'counted')!;
    counted.vote.inFavour = 5;
    expect(f1Of(record, 'decision.vote').f1).toBeLessThan(1);
    expect(f1Of(record, 'decision.names').f1).toBe(1);
    expect(f1Of(record, 'decision.outcome').f1).toBe(1);
    expect(f1Of(record, 'decisions').f1).toBe(1);
  });

  it('lowers names when a name is wrong, and ignores accents and case', () => {
    const record = perfectRecord(key);
    const counted = record.decisions.find((decision) => decision.vote.method === 'counted')!;
    counted.vote.abstainingNames = ['CAMILA ROCHA'];
    counted.vote.againstNames = ['Paulo Azevédo'];
    expect(f1Of(record, 'decision.names').f1).toBe(1);
    counted.vote.againstNames = ['Marcos Tavares'];
    expect(f1Of(record, 'decision.names').f1).toBeLessThan(1);
  });

  it('lowers precision, not recall, for a hallucinated action item, in every action item field', () => {
    const record = perfectRecord(key);
    record.actionItems.push({ owner: 'Sérgio Bastos', ownerEmail: null, dueDate: '2026-03-20', evidence: [{ time: '00:30:00' }] });
    const actionItems = f1Of(record, 'actionItems');
    expect(actionItems.recall).toBe(1);
    expect(actionItems.precision).toBe(key.actionItems.length / (key.actionItems.length + 1));
    expect(f1Of(record, 'actionItem.owner').precision).toBeLessThan(1);
    expect(f1Of(record, 'actionItem.dueDate').precision).toBeLessThan(1);
  });

  it('scores a wrong due date, a wrong quorum and an invented chair', () => {
    const record = perfectRecord(key);
    record.actionItems[0]!.dueDate = '2026-03-20';
    record.quorum = { ...record.quorum!, met: false };
    expect(f1Of(record, 'actionItem.dueDate').f1).toBeLessThan(1);
    expect(f1Of(record, 'quorum').f1).toBe(0.75);
    const noChair = { ...key, chair: null };
    expect(rates(scoreCase(noChair, perfectRecord(key)).fields.chair).precision).toBe(0);
    expect(rates(scoreCase(noChair, { ...perfectRecord(key), chair: null }).fields.chair).f1).toBe(1);
  });

  it('scores an empty answer as nothing found', () => {
    const score = scoreCase(key, producedRecord.parse({}));
    expect(rates(score.fields.decisions).recall).toBe(0);
    expect(rates(score.fields.present).recall).toBe(0);
    expect(rates(totalOf(score.fields)).recall).toBeLessThan(0.2);
  });
});

function shift(time: string, seconds: number): string {
  const [h, m, s] = time.split(':').map(Number) as [number, number, number];
  const total = h * 3600 + m * 60 + s + seconds;
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}
