import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { actionItemsCalendar, type CalendarAbout } from './minutes.calendar.js';
import type { ActionItem } from './minutes.record.js';

const about: CalendarAbout = {
  minutesId: '6f1c2b9e-0000-4000-8000-000000000001',
  title: 'Reunião do Conselho, 11/11; ordinária',
  generatedAt: new Date('2026-11-11T18:30:05Z'),
  url: 'https://atas.example/minutes/6f1c2b9e',
};

const makeItem = (overrides: Partial<ActionItem> = {}): ActionItem => ({
  owner: 'Ana Paula de Souza',
  ownerEmail: 'ana.souza@example.com',
  task: 'Enviar o orçamento à diretoria',
  dueDate: '2026-11-13',
  dueAsSaid: 'até sexta-feira',
  sourceTurn: 41,
  evidence: [{ turn: 41, time: '00:12:34', speaker: 'Ana', quote: 'Eu envio o orçamento até sexta.' }],
  ...overrides,
});

function parse(text: string) {
  const calendar = ICAL.Component.fromString(text);
  return { calendar, todos: calendar.getAllSubcomponents('vtodo') };
}

describe('actionItemsCalendar', () => {
  it('a calendar that says who publishes it and its name', () => {
    const { calendar } = parse(actionItemsCalendar([makeItem()], about));
    expect(calendar.name).toBe('vcalendar');
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//Atas//Minutes//EN');
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(calendar.getFirstPropertyValue('calscale')).toBe('GREGORIAN');
  });

  it('the calendar name is escaped as TEXT', () => {
    const text = actionItemsCalendar([], { ...about, title: 'Conselho, 11/11; ordinária\\extra\nsegunda linha' });
    expect(text).toContain('X-WR-CALNAME:Conselho\\, 11/11\\; ordinária\\\\extra\\nsegunda linha\r\n');
  });

  it('one VTODO per item with every field', () => {
    const { todos } = parse(actionItemsCalendar([makeItem()], about));
    expect(todos).toHaveLength(1);
    const todo = todos[0]!;
    expect(todo.getFirstPropertyValue('uid')).toBe(`${about.minutesId}-1@atas`);
    expect((todo.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate().toISOString()).toBe('2026-11-11T18:30:05.000Z');
    expect(todo.getFirstPropertyValue('summary')).toBe('Enviar o orçamento à diretoria');
    const due = todo.getFirstProperty('due')!;
    expect(due.type).toBe('date');
    expect(String(due.getFirstValue())).toBe('2026-11-13');
    expect(todo.getFirstPropertyValue('description')).toBe(
      'Responsável: Ana Paula de Souza\nPrazo: até sexta-feira\ngravação, 00:12:34 — Ana: “Eu envio o orçamento até sexta.”',
    );
    const attendee = todo.getFirstProperty('attendee')!;
    expect(attendee.getFirstValue()).toBe('mailto:ana.souza@example.com');
    expect(attendee.getParameter('cn')).toBe('Ana Paula de Souza');
    expect(todo.getFirstPropertyValue('status')).toBe('NEEDS-ACTION');
    expect(todo.getFirstPropertyValue('url')).toBe('https://atas.example/minutes/6f1c2b9e');
  });

  it('writes DUE as a date value and DTSTAMP in UTC', () => {
    const text = actionItemsCalendar([makeItem()], about);
    expect(text).toContain('\r\nDUE;VALUE=DATE:20261113\r\n');
    expect(text).toContain('\r\nDTSTAMP:20261111T183005Z\r\n');
  });

  it('descriptions in the language asked for', () => {
    const { todos } = parse(actionItemsCalendar([makeItem({ dueAsSaid: 'by Friday' })], { ...about, language: 'en' }));
    expect(todos[0]!.getFirstPropertyValue('description')).toBe(
      'Owner: Ana Paula de Souza\nDue: by Friday\nrecording, 00:12:34 — Ana: “Eu envio o orçamento até sexta.”',
    );
  });

  it('escapes commas, semicolons, backslashes, newlines and keeps accents', () => {
    const task = 'Revisar, corrigir; e enviar\\arquivar\nAção: “orçamento” — São João, Açores';
    const owner = 'Souza, Ana; "Aninha"';
    const text = actionItemsCalendar([makeItem({ task, owner })], about);
    expect(text).toContain('SUMMARY:Revisar\\, corrigir\\; e enviar\\\\arquivar\\nAção');
    const todo = parse(text).todos[0]!;
    expect(todo.getFirstPropertyValue('summary')).toBe(task);
    expect(todo.getFirstProperty('attendee')!.getParameter('cn')).toBe(owner);
    expect(todo.getFirstPropertyValue('description')).toContain(`Responsável: ${owner}\n`);
  });

  it('an item without due date, owner or evidence', () => {
    const item = makeItem({ owner: null, ownerEmail: null, dueDate: null, dueAsSaid: null, evidence: [], sourceTurn: 7 });
    const todo = parse(actionItemsCalendar([item], about)).todos[0]!;
    expect(todo.hasProperty('due')).toBe(false);
    expect(todo.hasProperty('attendee')).toBe(false);
    expect(todo.getFirstPropertyValue('description')).toBe('turno 8');
    expect(todo.getFirstPropertyValue('summary')).toBe(item.task);
  });

  it('a deadline said but not resolved is in the description only; an owner without e-mail has no ATTENDEE', () => {
    const item = makeItem({ ownerEmail: null, dueDate: null, dueAsSaid: 'quando possível' });
    const todo = parse(actionItemsCalendar([item], about)).todos[0]!;
    expect(todo.hasProperty('due')).toBe(false);
    expect(todo.hasProperty('attendee')).toBe(false);
    expect(todo.getFirstPropertyValue('description')).toContain('Responsável: Ana Paula de Souza\nPrazo: quando possível\n');
  });

  it('every piece of evidence, by turn when the transcript has no times', () => {
    const evidence = [
      { turn: 3, time: null, speaker: null, quote: 'Fica com a Ana.' },
      { turn: 5, time: '01:02:03', speaker: 'João', quote: 'Combinado.' },
    ];
    const todo = parse(actionItemsCalendar([makeItem({ evidence })], about)).todos[0]!;
    expect(todo.getFirstPropertyValue('description')).toMatch(/\nturno 4 — “Fica com a Ana\.”\ngravação, 01:02:03 — João: “Combinado\.”$/);
  });

  it('no URL when none is given', () => {
    const { url: _url, ...withoutUrl } = about;
    const todo = parse(actionItemsCalendar([makeItem()], withoutUrl)).todos[0]!;
    expect(todo.hasProperty('url')).toBe(false);
  });

  it('zero items: a valid empty calendar', () => {
    const text = actionItemsCalendar([], about);
    const { calendar, todos } = parse(text);
    expect(todos).toHaveLength(0);
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//Atas//Minutes//EN');
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });

  it('UIDs numbered in order and stable across calls', () => {
    const items = [makeItem(), makeItem({ task: 'Outra tarefa' }), makeItem({ task: 'Terceira' })];
    const first = actionItemsCalendar(items, about);
    const second = actionItemsCalendar(items, about);
    expect(second).toBe(first);
    expect(parse(first).todos.map((todo) => todo.getFirstPropertyValue('uid'))).toEqual([1, 2, 3].map((n) => `${about.minutesId}-${n}@atas`));
  });

  it('CRLF line endings and lines of at most 75 octets, never cut inside a character', () => {
    const task = `${'Preparar a ação de comunicação ção ção ção 🎉 '.repeat(8)}fim`;
    const text = actionItemsCalendar([makeItem({ task })], about);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = text.split('\r\n');
    expect(lines.at(-1)).toBe('');
    for (const line of lines) {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
      expect(Buffer.from(line).toString()).toBe(line); // no half of a surrogate pair
    }
    expect(lines.some((line) => line.startsWith(' '))).toBe(true);
    expect(parse(text).todos[0]!.getFirstPropertyValue('summary')).toBe(task);
  });
});
