import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIEmulator, type OpenAIEmulator } from '../emulators/openai/openai-emulator.js';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { readJson } from './helpers/http.js';
import { expectOwnerOnly } from './helpers/ownership.js';
import { extractPdfText, normaliseSpace } from './helpers/pdf-text.js';
import { openaiServerEnv, startTestServer } from './helpers/server.js';
import { bearer, registerUser, type TestUser } from './helpers/users.js';

/** A WebVTT transcript: one cue per [start seconds, "Speaker: text"]. */
function vtt(cues: [number, string][]): string {
  const at = (seconds: number) => new Date(seconds * 1000).toISOString().slice(11, 23);
  return ['WEBVTT', '', ...cues.flatMap(([start, text], index) => [String(index + 1), `${at(start)} --> ${at(start + 8)}`, text, ''])].join('\n');
}

const boardTranscript = vtt([
  [5, 'Helena Prado: Bom dia. Declaro aberta a reunião ordinária do Conselho de Administração.'],
  [14, 'Ricardo Menezes: Eu secretario esta reunião e lavro a ata.'],
  [30, 'Ricardo Menezes: Estão presentes: Helena Prado, Ricardo Menezes, Marcos Tavares e Beatriz Lins.'],
  [62, 'Helena Prado: Passamos ao item 1, aprovação do orçamento de 2027.'],
  [3725, 'Helena Prado: O orçamento de 2027 foi aprovado por 3 votos a favor e 1 contra, votou contra o conselheiro Marcos Tavares.'],
  [3790, 'Marcos Tavares: Eu envio o relatório de custos até sexta-feira.'],
  [3850, 'Helena Prado: Em assuntos gerais, a festa de fim de ano.'],
  [3870, 'Beatriz Lins: Beatriz fica responsável pelo orçamento da festa até o fim do mês.'],
]);

const members = [
  { name: 'Helena Prado', email: 'helena@example.com' },
  { name: 'Ricardo Menezes', email: 'ricardo@example.com' },
  { name: 'Marcos Tavares', email: 'marcos@example.com' },
  { name: 'Beatriz Lins', email: 'beatriz@example.com' },
  { name: 'Sérgio Bastos', email: 'sergio@example.com' },
  { name: 'Camila Rocha' },
];

describe('the minutes record: roles, quorum, agenda, votes, evidence and action items, end to end on the emulator', () => {
  let openai: OpenAIEmulator;
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;
  let owner: TestUser;

  beforeAll(async () => {
    openai = await startOpenAIEmulator({ apiKey: 'sk-test-record', contextTokens: 16_384 });
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url, env: { ...openaiServerEnv(openai), OPENAI_CONTEXT_TOKENS: '16384', OPENAI_MAX_TOKENS: '2000', MINUTES_WAIT_MS: '20000', RATE_LIMIT_MAX_REQUESTS: '10000' } });
    baseUrl = (await server.listen())!;
    owner = await registerUser(baseUrl);
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
    await openai.stop();
  });

  const send = (method: string, path: string, body?: unknown, user = owner) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...bearer(user.token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  /** A board meeting held on Tuesday 9 March 2027 at 10:00 in São Paulo, with its transcript. */
  async function boardMeeting(settings: Record<string, unknown> = {}, transcript = boardTranscript) {
    const created = await send('POST', '/v1/meetings', {
      topic: 'Conselho de Administração',
      startTime: '2027-03-09T10:00:00-03:00',
      duration: 120,
      onZoom: false,
      agenda: '1. Aprovação do orçamento de 2027\n2. Eleição do auditor independente',
      kind: 'board',
      members,
      quorum: { rule: 'majority' },
      ...settings,
    });
    expect(created.status).toBe(201);
    const { meeting } = await readJson(created);
    const uploaded = await fetch(`${baseUrl}/v1/meetings/${meeting.id}/transcript`, { method: 'POST', headers: { ...bearer(owner.token), 'content-type': 'text/vtt' }, body: transcript });
    expect(uploaded.status).toBe(201);
    return meeting;
  }

  async function generate(meetingId: string, body: Record<string, unknown> = {}) {
    const response = await send('POST', `/v1/meetings/${meetingId}/minutes`, { timeZone: 'America/Sao_Paulo', ...body });
    const answer = await readJson(response);
    expect(response.status, JSON.stringify(answer)).toBe(201);
    return answer;
  }

  it("keeps the meeting's settings and gives them back", async () => {
    const meeting = await boardMeeting({ chair: 'Helena Prado' });
    expect(meeting).toMatchObject({ kind: 'board', members, quorum: { rule: 'majority' }, chair: 'Helena Prado', secretary: null });
    const changed = await readJson(await send('PATCH', `/v1/meetings/${meeting.id}`, { quorum: { rule: 'fraction', fraction: 0.6667 }, chair: null, kind: 'shareholders' }));
    expect(changed.meeting).toMatchObject({ kind: 'shareholders', quorum: { rule: 'fraction', fraction: 0.6667 }, chair: null, members });
    const refused = await send('PATCH', `/v1/meetings/${meeting.id}`, { quorum: { rule: 'fraction', fraction: 1.5 } });
    expect(refused.status).toBe(400);
    expect(await readJson(refused)).toMatchObject({ code: 'validation_failed' });
  });

  it('writes a board ata in pt-BR: chair and secretary from their turns, the quorum, every agenda item, the vote and the evidence', async () => {
    const meeting = await boardMeeting();
    const { minutes, content } = await generate(meeting.id);
    const record = minutes.structured;
    expect(record.kind).toBe('board');
    expect(record.chair).toMatchObject({ name: 'Helena Prado', source: 'transcript', evidence: { turn: 0, time: '00:00:05' } });
    expect(record.secretary).toMatchObject({ name: 'Ricardo Menezes', source: 'transcript', evidence: { turn: 1, time: '00:00:14' } });
    expect(record.quorum).toMatchObject({ expected: 6, required: 4, present: 4, met: true, absentMembers: ['Sérgio Bastos', 'Camila Rocha'] });
    expect(record.agenda).toEqual([
      expect.objectContaining({ number: 1, title: 'Aprovação do orçamento de 2027', discussion: expect.any(String) }),
      { number: 2, title: 'Eleição do auditor independente', discussion: null },
      expect.objectContaining({ number: null }),
    ]);
    expect(record.decisions).toEqual([
      expect.objectContaining({
        outcome: 'approved',
        vote: expect.objectContaining({ method: 'counted', inFavour: 3, against: 1, againstNames: ['Marcos Tavares'] }),
        agendaItem: 1,
        evidence: [{ turn: 4, time: '01:02:05', speaker: 'Helena Prado', quote: expect.stringContaining('aprovado por 3 votos a favor') }],
      }),
    ]);
    expect(record.actionItems).toEqual([
      expect.objectContaining({ owner: 'Marcos Tavares', ownerEmail: 'marcos@example.com', dueDate: '2027-03-12', dueAsSaid: expect.stringContaining('sexta'), evidence: [expect.objectContaining({ time: '01:03:10' })] }),
      expect.objectContaining({ owner: 'Beatriz Lins', ownerEmail: 'beatriz@example.com', dueDate: '2027-03-31' }),
    ]);
    expect(record.flags).toEqual(['agenda_items_not_discussed']);

    expect(content).toContain('CONSELHO DE ADMINISTRAÇÃO');
    expect(content).toMatch(/Verificado o quórum/);
    expect(content).toContain('01:02:05');
    expect(content).not.toMatch(/\b(approved|unanimous|counted|not discussed|Chair)\b/);

    const pdf = normaliseSpace((await extractPdfText(new Uint8Array(await (await send('GET', `/v1/minutes/${minutes.id}/pdf`)).arrayBuffer()))).text);
    expect(pdf).toContain('01:02:05');
    expect(pdf).toContain('Helena Prado');
  });

  it('flags a quorum not met and an unknown chair, and leaves the chair empty instead of guessing', async () => {
    const withoutOpening = boardTranscript.replace('Declaro aberta a reunião ordinária do Conselho de Administração.', 'Vamos começar.');
    const meeting = await boardMeeting({ quorum: { rule: 'count', count: 5 } }, withoutOpening);
    const { minutes, content } = await generate(meeting.id);
    expect(minutes.structured.chair).toEqual({ name: null, source: null, evidence: null });
    expect(minutes.structured.quorum).toMatchObject({ required: 5, present: 4, met: false });
    expect(minutes.structured.flags).toEqual(expect.arrayContaining(['chair_unknown', 'quorum_not_met']));
    expect(content).not.toMatch(/Verificado o quórum/);
    expect(content).toMatch(/quórum/i);
  });

  it("takes the request's kind, agenda, chair and language over the meeting's", async () => {
    const meeting = await boardMeeting();
    const { minutes, content } = await generate(meeting.id, { language: 'es', kind: 'condominium', agenda: ['Presupuesto 2027'], chair: 'Beatriz Lins' });
    expect(minutes.structured).toMatchObject({ kind: 'condominium', chair: { name: 'Beatriz Lins', source: 'settings', evidence: null } });
    expect(minutes.structured.agenda[0]).toMatchObject({ number: 1, title: 'Presupuesto 2027' });
    // The frame is Spanish (the decision's text is the emulator's copy of the Portuguese turn).
    for (const heading of ['# ACTA DE LA JUNTA DE PROPIETARIOS', '## Apertura', '## Orden del día', '## Acuerdos', '## Cierre']) expect(content).toContain(heading);
    expect(content).toContain('Votación: aprobada por 3 votos a favor y 1 en contra (Marcos Tavares)');
    expect(content).not.toMatch(/## (Abertura|Ordem do dia|Deliberações|Encerramento)|Votação|approved/);
  });

  it('lists the action items and gives them as an iCalendar file, to their owner only', async () => {
    const meeting = await boardMeeting();
    const { minutes } = await generate(meeting.id, { language: 'en' });
    const listed = await readJson(await send('GET', `/v1/minutes/${minutes.id}/action-items`));
    expect(listed).toEqual({ minutesId: minutes.id, actionItems: minutes.structured.actionItems });

    const download = await send('GET', `/v1/minutes/${minutes.id}/action-items.ics`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="ata-${minutes.id}-action-items.ics"`);
    const calendar = new ICAL.Component(ICAL.parse(await download.text()));
    const todos = calendar.getAllSubcomponents('vtodo');
    expect(todos.map((todo) => [todo.getFirstPropertyValue('due')?.toString(), String(todo.getFirstPropertyValue('attendee'))])).toEqual([
      ['2027-03-12', 'mailto:marcos@example.com'],
      ['2027-03-31', 'mailto:beatriz@example.com'],
    ]);

    const intruder = await registerUser(baseUrl);
    await expectOwnerOnly(baseUrl, { method: 'GET', path: `/v1/minutes/${minutes.id}/action-items` }, owner, intruder);
    await expectOwnerOnly(baseUrl, { method: 'GET', path: `/v1/minutes/${minutes.id}/action-items.ics` }, owner, intruder);
  });
});
