import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../scripts/demo/run-demo.js';
import { findFreePort } from '../src/lib/ports.js';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { extractPdfText } from './helpers/pdf-text.js';
import { startTestServer } from './helpers/server.js';
import { makeSharedTempDir } from './helpers/temp-dir.js';

/**
 * `npm run demo` (scripts/demo.ts) against a server on the embedded emulators, as `npm start` runs
 * them: the whole product through the public API and the emulators' controls. `.ci/run` also runs
 * the script itself, with its own `npm start`.
 */
describe('npm run demo', () => {
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const port = await findFreePort();
    server = await startTestServer({
      databaseUrl: database.url,
      env: { PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, EMULATORS: 'on' },
    });
    baseUrl = (await server.listen())!;
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('goes from a Zoom meeting to the signed PDF, printing each step with its time', async () => {
    const outputDir = makeSharedTempDir('atas-demo-test-');
    let printed = '';
    const result = await runDemo({ baseUrl, outputDir, write: (text) => (printed += text), emulatedWaitMs: 20_000 });

    expect(result.modes).toEqual({ zoom: 'emulated', openai: 'emulated', docusign: 'emulated' });
    for (const step of ['created the meeting on Zoom', 'meeting.ended', 'recording.transcript_completed', 'minutes generated', 'finalised', 'sent to two signers', 'signed on the DocuSign emulator', 'envelope completed', 'signed PDF and certificate stored']) {
      expect(printed).toMatch(new RegExp(`✓ [^\\n]*${step}[^\\n]* \\(\\d+\\.\\d s\\)`));
    }
    expect(printed).toContain(result.minutesPdfUrl);
    expect(printed).toContain(result.signedPdfUrl);
    expect(result.files).toEqual({ minutesPdf: path.join(outputDir, 'ata.pdf'), signedPdf: path.join(outputDir, 'ata-assinada.pdf'), certificate: path.join(outputDir, 'certificado.pdf') });

    // The ata of the 45-minute board meeting: its people, its three deliberations, its tasks, signed by the chair and the secretary.
    const ata = await extractPdfText(fs.readFileSync(result.files.signedPdf));
    expect(ata.text).toContain('sob a presidência de Helena Prado');
    expect(ata.text).toMatch(/secretariados por Ricardo\s+Menezes/);
    expect(ata.text).toContain('Ausentes: Sérgio Bastos');
    expect(ata.text).toMatch(/aprovado por maioria/);
    // The vote as data, written by the template in pt-BR: no English (“unanimous”, “in favour”) in the ata.
    expect(ata.text).toMatch(/Votação:\s+aprovada\s+por\s+5\s+votos\s+a\s+favor\s+e\s+1\s+abstenção/);
    expect(ata.text).not.toMatch(/unanimous|in favou?r|abstention/i);
    expect(ata.text).toContain('31/08/2026');
    expect(fs.readFileSync(result.files.certificate).subarray(0, 5).toString()).toBe('%PDF-');

    const minutes = await server.database.pool.query<{ status: string }>('SELECT status FROM meeting_minutes WHERE id = $1', [result.minutesId]);
    expect(minutes.rows[0]?.status).toBe('signed');
  });

  it("refuses the Zoom emulator's controls out of order", async () => {
    const login = await fetch(`${baseUrl}/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'controls@example.com', password: 'a long passphrase', name: 'Controls' }),
    });
    const { token } = (await login.json()) as { token: string };
    const created = await fetch(`${baseUrl}/v1/meetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ topic: 'Controls', startTime: new Date(Date.now() + 3_600_000).toISOString(), duration: 30 }),
    });
    const { meeting } = (await created.json()) as { meeting: { zoomMeetingId: string; joinUrl: string } };
    const zoom = new URL(meeting.joinUrl).origin;
    const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const early = await post(`${zoom}/emulator/meetings/${meeting.zoomMeetingId}/transcript`, { transcript: 'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAna: Olá\n' });
    expect(early.status).toBe(400);
    expect(await early.json()).toMatchObject({ message: expect.stringContaining('has not ended') });
    expect((await post(`${zoom}/emulator/meetings/12345/end`, {})).status).toBe(404);
    expect((await post(`${zoom}/emulator/meetings/${meeting.zoomMeetingId}/end`, { webhookUrl: 'ftp://example.com' })).status).toBe(400);
    // Without a webhookUrl the meeting ends and nothing is posted.
    expect(await (await post(`${zoom}/emulator/meetings/${meeting.zoomMeetingId}/end`, {})).json()).toEqual({ event: 'meeting.ended' });
  });
});
