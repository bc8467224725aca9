import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { startOpenAIEmulator, type OpenAIEmulator } from '../emulators/openai/openai-emulator.js';
import { createLocalStorage, type Storage } from '../src/lib/storage.js';
import { createDataExportService } from '../src/modules/data-export/data-export.service.js';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { readJson } from './helpers/http.js';
import { openaiServerEnv, startTestServer } from './helpers/server.js';
import { makeSharedTempDir } from './helpers/temp-dir.js';
import { bearer, postJson, registerUser, type TestUser } from './helpers/users.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const transcript = [
  'Maria Conceição: Declaro aberta a reunião do conselho; João secretaria.',
  'João Araújo: Pauta: aprovação do orçamento de 2027.',
  'Maria Conceição: Fica aprovado por unanimidade o orçamento de 2027.',
].join('\n');

/** Every entry of a zip, read with yauzl: name → bytes. */
async function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, file) => (error ? reject(error) : resolve(file))));
  const entries = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', resolve);
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', reject);
        stream.on('end', () => {
          entries.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  return entries;
}

/** Data lifecycle: each clean-up deletes what is past its retention and nothing else; files follow their rows; a user gets all their data. */
describe('data lifecycle', () => {
  let openai: OpenAIEmulator;
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;
  let filesDir: string;

  beforeAll(async () => {
    openai = await startOpenAIEmulator({ apiKey: 'sk-test-lifecycle', contextTokens: 16_384 });
    database = await createTestDatabase();
    const dataDir = makeSharedTempDir('atas-lifecycle-');
    filesDir = path.join(dataDir, 'files');
    server = await startTestServer({
      databaseUrl: database.url,
      env: {
        ...openaiServerEnv(openai),
        OPENAI_CONTEXT_TOKENS: '16384',
        MINUTES_WAIT_MS: '20000',
        RATE_LIMIT_MAX_REQUESTS: '10000',
        DATA_DIR: dataDir,
        IDEMPOTENCY_KEY_RETENTION_HOURS: '24',
        WEBHOOK_EVENT_RETENTION_DAYS: '30',
        SESSION_RETENTION_DAYS: '30',
        EMAIL_RETENTION_DAYS: '90',
      },
    });
    baseUrl = (await server.listen())!;
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    await openai?.stop();
  });

  const sql = async (text: string, values: unknown[] = []) => (await server.database.pool.query(text, values)).rows;
  const send = (method: string, url: string, token: string, body?: unknown) =>
    fetch(`${baseUrl}${url}`, { method, headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const storedFiles = async () =>
    (await fs.readdir(filesDir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => path.relative(filesDir, path.join(entry.parentPath, entry.name)));
  const ageAllFiles = async (hours: number) => {
    const then = new Date(Date.now() - hours * HOUR);
    for (const key of await storedFiles()) await fs.utimes(path.join(filesDir, key), then, then);
  };
  const pdfKeyOf = async (minutesId: string) => (await sql('SELECT pdf_blob_key FROM meeting_minutes WHERE id = $1', [minutesId]))[0].pdf_blob_key as string | null;

  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const value = await read();
      if (done(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${what} did not happen`);
  }

  /** A meeting held elsewhere, its uploaded transcript and generated minutes with their PDF. */
  async function meetingWithMinutes(user: TestUser, topic: string) {
    const created = await readJson(await postJson(`${baseUrl}/v1/meetings`, { topic, startTime: '2026-01-10T13:00:00Z', duration: 60, onZoom: false }, bearer(user.token)));
    const meetingId = created.meeting.id as string;
    const uploaded = await fetch(`${baseUrl}/v1/meetings/${meetingId}/transcript`, { method: 'POST', headers: { 'content-type': 'text/plain', ...bearer(user.token) }, body: transcript });
    expect(uploaded.status).toBe(201);
    const generated = await send('POST', `/v1/meetings/${meetingId}/minutes`, user.token, {});
    const body = await readJson(generated);
    expect(generated.status, JSON.stringify(body)).toBe(201);
    const minutesId = body.minutes.id as string;
    const pdfKey = await until(() => pdfKeyOf(minutesId), (key) => key !== null, 'the first PDF');
    return { meetingId, minutesId, pdfKey: pdfKey!, content: body.content as string };
  }

  it('idempotency keys go IDEMPOTENCY_KEY_RETENTION_HOURS after their request, in batches, and newer ones stay', async () => {
    const user = await registerUser(baseUrl);
    const now = new Date();
    // A backlog over two batches (1000 rows each) of old keys, and one just inside the retention.
    await sql(
      `INSERT INTO idempotency_keys (user_id, key, method, path, request_hash, created_at)
       SELECT $1, 'old-' || n, 'POST', '/v1/meetings', repeat('a', 64), $2::timestamptz - (n || ' seconds')::interval FROM generate_series(1, 2500) n`,
      [user.id, new Date(now.getTime() - 25 * HOUR)],
    );
    await sql(`INSERT INTO idempotency_keys (user_id, key, method, path, request_hash, created_at) VALUES ($1, 'recent', 'POST', '/v1/meetings', repeat('a', 64), $2)`, [user.id, new Date(now.getTime() - 23 * HOUR)]);

    expect(await server.services.idempotencyKeys.deleteExpired(now)).toBe(2500);
    expect(await sql('SELECT key FROM idempotency_keys WHERE user_id = $1', [user.id])).toEqual([{ key: 'recent' }]);
  });

  it('applied and dismissed webhook events go WEBHOOK_EVENT_RETENTION_DAYS after they were applied or dismissed; failed and pending ones stay', async () => {
    const now = new Date();
    const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);
    const insert = (key: string, values: { createdAt: Date; processed: boolean; processedAt?: Date; error?: string; dismissedAt?: Date }) =>
      sql(
        `INSERT INTO webhook_events (provider, event_type, delivery_key, payload, processed, processed_at, dispatched_at, error, created_at, dismissed_at)
         VALUES ('zoom', 'meeting.ended', $1, '{}', $2, $3, $4, $5, $4, $6)`,
        [key, values.processed, values.processedAt ?? null, values.createdAt, values.error ?? null, values.dismissedAt ?? null],
      );
    await insert('applied-long-ago', { createdAt: daysAgo(40), processed: true, processedAt: daysAgo(40) });
    await insert('applied-recently', { createdAt: daysAgo(29), processed: true, processedAt: daysAgo(29) });
    // Arrived long ago, applied (replayed) recently: kept from when it was applied.
    await insert('replayed-recently', { createdAt: daysAgo(60), processed: true, processedAt: daysAgo(2) });
    await insert('failed-long-ago', { createdAt: daysAgo(90), processed: false, error: 'not_found: the meeting is gone' });
    await insert('pending-long-ago', { createdAt: daysAgo(90), processed: false });
    // Dismissed by an admin: counted from the dismissal, not from when it arrived or failed.
    await insert('dismissed-long-ago', { createdAt: daysAgo(90), processed: false, error: 'zoom client_error', dismissedAt: daysAgo(31) });
    await insert('dismissed-recently', { createdAt: daysAgo(90), processed: false, error: 'zoom client_error', dismissedAt: daysAgo(29) });

    expect(await server.services.webhooks.deleteExpired(now)).toBe(2);
    const left = (await sql('SELECT delivery_key FROM webhook_events ORDER BY delivery_key')).map((row) => row.delivery_key);
    expect(left).toEqual(expect.arrayContaining(['applied-recently', 'replayed-recently', 'failed-long-ago', 'pending-long-ago', 'dismissed-recently']));
    expect(left).not.toContain('applied-long-ago');
    expect(left).not.toContain('dismissed-long-ago');
  });

  it('sent and failed e-mails go EMAIL_RETENTION_DAYS after they ended, in batches of 1000; pending and newer ones stay', async () => {
    const user = await registerUser(baseUrl);
    const now = new Date();
    const insert = (label: string, status: string, updatedAt: Date, count = 1) =>
      sql(
        `INSERT INTO outbound_emails (user_id, kind, event_id, recipient, language, facts, status, created_at, updated_at)
         SELECT $1, 'minutes_ready', $2 || '-' || n, 'dona@example.com', 'pt-BR', '{}', $3, $4, $4 FROM generate_series(1, $5::int) n`,
        [user.id, label, status, updatedAt, count],
      );
    await insert('sent-long-ago', 'sent', new Date(now.getTime() - 91 * DAY), 1500);
    await insert('failed-long-ago', 'failed', new Date(now.getTime() - 91 * DAY));
    await insert('sent-recently', 'sent', new Date(now.getTime() - 89 * DAY));
    // Still being tried (a job waits to retry it): kept whatever its age, until it is sent or fails for good.
    await insert('pending-long-ago', 'pending', new Date(now.getTime() - 200 * DAY));

    let deleted = 0;
    const statements = await deleteStatementsOf('outbound_emails', async () => (deleted = await server.services.emailNotifications.deleteFinished(now)));
    expect(deleted).toBe(1501);
    expect(statements).toEqual([1000, 501]);
    expect((await sql('SELECT event_id FROM outbound_emails WHERE user_id = $1 ORDER BY event_id', [user.id])).map((row) => row.event_id)).toEqual(['pending-long-ago-1', 'sent-recently-1']);
  });

  /**
   * Runs `clean` while a statement-level trigger records how many rows each DELETE on `table`
   * removed: says every statement's count, so a test sees the rows went in batches of 1000.
   */
  async function deleteStatementsOf(table: string, clean: () => Promise<unknown>): Promise<number[]> {
    await sql(`CREATE TABLE IF NOT EXISTS test_delete_statements (table_name text NOT NULL, deleted integer NOT NULL)`);
    await sql(`CREATE OR REPLACE FUNCTION test_log_delete_statement() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO test_delete_statements SELECT TG_TABLE_NAME, count(*) FROM old_rows; RETURN NULL; END $$`);
    await sql(`CREATE TRIGGER test_delete_statements AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION test_log_delete_statement()`);
    try {
      await clean();
      return (await sql('SELECT deleted FROM test_delete_statements WHERE table_name = $1 AND deleted > 0', [table])).map((row) => row.deleted as number);
    } finally {
      await sql(`DROP TRIGGER test_delete_statements ON ${table}`);
      await sql('DELETE FROM test_delete_statements');
    }
  }

  it('live events go EVENTS_RETENTION_HOURS after they were published, in batches of 1000, and newer ones stay', async () => {
    const user = await registerUser(baseUrl);
    const now = new Date();
    // A backlog over two batches of old events, and one just inside the retention (72 h).
    await sql(
      `INSERT INTO user_events (user_id, type, data, created_at)
       SELECT $1, 'transcript.ready', jsonb_build_object('n', n), $2::timestamptz - (n || ' seconds')::interval FROM generate_series(1, 2100) n`,
      [user.id, new Date(now.getTime() - 73 * HOUR)],
    );
    await sql(`INSERT INTO user_events (user_id, type, data, created_at) VALUES ($1, 'transcript.ready', '{"n": "recent"}', $2)`, [user.id, new Date(now.getTime() - 71 * HOUR)]);

    let deleted = 0;
    const statements = await deleteStatementsOf('user_events', async () => (deleted = await server.services.events.deleteExpired(now)));
    expect(deleted).toBe(2100);
    expect(statements).toEqual([1000, 1000, 100]);
    expect(await sql(`SELECT data->>'n' AS n FROM user_events WHERE user_id = $1`, [user.id])).toEqual([{ n: 'recent' }]);
  });

  it('finished webhook deliveries go EVENTS_RETENTION_HOURS after they were created, in batches of 1000; pending and newer ones stay', async () => {
    const user = await registerUser(baseUrl);
    const created = await send('POST', '/v1/webhook-endpoints', user.token, { url: 'http://127.0.0.1:9/hook', events: ['minutes.ready'] });
    expect(created.status).toBe(201);
    const endpointId = (await readJson(created)).endpoint.id as string;
    const now = new Date();
    const insert = (label: string, status: string, createdAt: Date, count = 1) =>
      sql(
        `INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, body, status, created_at)
         SELECT $1, $2 || '-' || n, 'minutes.ready', '{}', $3, $4::timestamptz - (n || ' seconds')::interval FROM generate_series(1, $5::int) n`,
        [endpointId, label, status, createdAt, count],
      );
    await insert('old-delivered', 'delivered', new Date(now.getTime() - 73 * HOUR), 1500);
    await insert('old-failed', 'failed', new Date(now.getTime() - 73 * HOUR), 600);
    await insert('old-pending', 'pending', new Date(now.getTime() - 73 * HOUR));
    await insert('recent-delivered', 'delivered', new Date(now.getTime() - 71 * HOUR));

    let deleted = 0;
    const statements = await deleteStatementsOf('webhook_deliveries', async () => (deleted = await server.services.webhookEndpoints.deleteExpired(now)));
    expect(deleted).toBe(2100);
    expect(statements).toEqual([1000, 1000, 100]);
    const left = (await sql('SELECT event_id FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY event_id', [endpointId])).map((row) => row.event_id);
    expect(left).toEqual(['old-pending-1', 'recent-delivered-1']);
  });

  it('sessions and their refresh tokens go SESSION_RETENTION_DAYS after they expired or were revoked; live ones keep working', async () => {
    const user = await registerUser(baseUrl);
    const [live] = await sql('SELECT id FROM sessions WHERE user_id = $1', [user.id]);
    const now = new Date();
    const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);
    const session = async (label: string, values: { expiresAt: Date; revokedAt?: Date }) => {
      const [row] = await sql('INSERT INTO sessions (user_id, user_agent, expires_at, revoked_at) VALUES ($1, $2, $3, $4) RETURNING id', [user.id, label, values.expiresAt, values.revokedAt ?? null]);
      await sql('INSERT INTO refresh_tokens (session_id, token_hash, expires_at) VALUES ($1, $2, $3)', [row.id, `hash-${label}-${user.id}`, values.expiresAt]);
      return row.id as string;
    };
    const expiredLongAgo = await session('expired-long-ago', { expiresAt: daysAgo(31) });
    const revokedLongAgo = await session('revoked-long-ago', { expiresAt: daysAgo(-3), revokedAt: daysAgo(31) });
    const expiredRecently = await session('expired-recently', { expiresAt: daysAgo(29) });
    const revokedRecently = await session('revoked-recently', { expiresAt: daysAgo(-5), revokedAt: daysAgo(1) });
    // An old rotated token of the live session, expired long ago.
    await sql(`INSERT INTO refresh_tokens (session_id, token_hash, expires_at, rotated_at) VALUES ($1, $2, $3, $3)`, [live.id, `hash-old-rotated-${user.id}`, daysAgo(40)]);

    expect(await server.services.sessions.deleteEnded(now)).toEqual({ sessions: 2, refreshTokens: 1 });
    const sessionsLeft = (await sql('SELECT id FROM sessions WHERE user_id = $1', [user.id])).map((row) => row.id);
    expect(sessionsLeft.sort()).toEqual([live.id, expiredRecently, revokedRecently].sort());
    expect(sessionsLeft).not.toContain(expiredLongAgo);
    expect(sessionsLeft).not.toContain(revokedLongAgo);
    const tokensLeft = (await sql('SELECT token_hash FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE s.user_id = $1', [user.id])).map((row) => row.token_hash);
    expect(tokensLeft).toHaveLength(3);
    expect(tokensLeft).not.toContain(`hash-old-rotated-${user.id}`);

    // The live session still refreshes and its access token still works.
    const refreshed = await postJson(`${baseUrl}/v1/auth/refresh`, { refreshToken: user.refreshToken });
    expect(refreshed.status).toBe(200);
    expect((await send('GET', '/v1/user/profile', (await readJson(refreshed)).token)).status).toBe(200);
  });

  it('a PDF replaced by a newer one (an edited draft, then the final) is deleted by the orphan sweep; the current one stays', async () => {
    const user = await registerUser(baseUrl);
    const { minutesId, pdfKey: firstDraft, content } = await meetingWithMinutes(user, 'Conselho');
    const edited = await send('PATCH', `/v1/minutes/${minutesId}`, user.token, { content: `${content}\n\nNota do secretário.` });
    expect(edited.status).toBe(200);
    const editedDraft = (await until(() => pdfKeyOf(minutesId), (key) => key !== null && key !== firstDraft, 'the edited PDF'))!;
    const finalized = await send('PATCH', `/v1/minutes/${minutesId}`, user.token, { status: 'finalized' });
    expect(finalized.status).toBe(200);
    const final = (await until(() => pdfKeyOf(minutesId), (key) => key !== null && key !== editedDraft, 'the final PDF'))!;
    expect(new Set([firstDraft, editedDraft, final]).size).toBe(3);
    expect(await storedFiles()).toEqual(expect.arrayContaining([firstDraft, editedDraft, final]));

    await ageAllFiles(2);
    await server.services.files.sweepOrphans();
    const left = await storedFiles();
    expect(left).toContain(final);
    expect(left).not.toContain(firstDraft);
    expect(left).not.toContain(editedDraft);
    const pdf = await send('GET', `/v1/minutes/${minutesId}/pdf`, user.token);
    expect(pdf.status).toBe(200);
  });

  it("deleting an account deletes its transcripts and PDFs from storage, and leaves another user's", async () => {
    const leaving = await registerUser(baseUrl);
    const staying = await registerUser(baseUrl);
    const gone = await meetingWithMinutes(leaving, 'Assembleia');
    const kept = await meetingWithMinutes(staying, 'Diretoria');
    const transcriptOf = async (meetingId: string) => (await sql('SELECT file_key FROM transcripts WHERE meeting_id = $1', [meetingId]))[0].file_key as string;
    const goneFiles = [gone.pdfKey, await transcriptOf(gone.meetingId)];
    const keptFiles = [kept.pdfKey, await transcriptOf(kept.meetingId)];
    expect(await storedFiles()).toEqual(expect.arrayContaining([...goneFiles, ...keptFiles]));

    const deleted = await send('DELETE', '/v1/user', leaving.token, { password: leaving.password });
    expect(deleted.status).toBe(200);
    const left = await storedFiles();
    for (const key of goneFiles) expect(left).not.toContain(key);
    expect(left).toEqual(expect.arrayContaining(keptFiles));
  });

  it("GET /v1/user/export streams a zip of the user's data and files: no password hash, no secret, nobody else's data", async () => {
    const owner = await registerUser(baseUrl, { name: 'Dona dos Dados' });
    const other = await registerUser(baseUrl);
    const mine = await meetingWithMinutes(owner, 'Reunião da Dona');
    const theirs = await meetingWithMinutes(other, 'Reunião Alheia Confidencial');
    const apiKey = 'sk-user-secret-never-exported-0123456789';
    expect((await send('POST', '/v1/integrations/openai', owner.token, { credentials: { apiKey } })).status).toBe(200);
    const endpoint = await send('POST', '/v1/webhook-endpoints', owner.token, { url: 'http://127.0.0.1:9/hook', events: ['minutes.ready'] });
    expect(endpoint.status).toBe(201);
    const webhookSecret = (await readJson(endpoint)).secret as string;
    // E-mails sent about the owner's minutes, and the owner's e-mail choices; the other user's stay out.
    expect((await send('PATCH', '/v1/user/notifications', owner.token, { email: { minutes_ready: false } })).status).toBe(200);
    await sql(`INSERT INTO email_unsubscribes (email, kind) VALUES ($1, 'signed_ata'), ($2, 'signed_ata')`, [owner.email, other.email]);
    await sql(
      `INSERT INTO outbound_emails (user_id, kind, event_id, recipient, recipient_name, language, facts, status, attempts, error_code, error_message)
       VALUES ($1, 'signed_ata', 'event-mine', 'conselheira@example.com', 'Conselheira', 'pt-BR', $2, 'failed', 1, 'smtp_refused_550', '550 mailbox unavailable'),
              ($3, 'signed_ata', 'event-theirs', 'alheio@example.com', null, 'pt-BR', '{}', 'sent', 1, null, null)`,
      [owner.id, JSON.stringify({ minutesId: mine.minutesId, topic: 'Reunião da Dona' }), other.id],
    );

    expect((await fetch(`${baseUrl}/v1/user/export`)).status).toBe(401);
    const response = await send('GET', '/v1/user/export', owner.token);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="atas-export-\d{4}-\d{2}-\d{2}\.zip"$/);
    const zipBytes = Buffer.from(await response.arrayBuffer());
    const entries = await unzip(zipBytes);

    const text = entries.get('data.json')!.toString('utf8');
    const data = JSON.parse(text);
    expect(data.user).toMatchObject({ id: owner.id, email: owner.email, name: 'Dona dos Dados' });
    expect(data.meetings).toEqual([expect.objectContaining({ id: mine.meetingId, topic: 'Reunião da Dona' })]);
    expect(data.transcripts).toEqual([expect.objectContaining({ meetingId: mine.meetingId })]);
    expect(data.minutes).toEqual([expect.objectContaining({ id: mine.minutesId, content: mine.content, pdfBlobKey: mine.pdfKey })]);
    expect(data.minutesVersions).toEqual([expect.objectContaining({ minutesId: mine.minutesId, version: 1 })]);
    expect(data.integrations).toEqual([expect.objectContaining({ provider: 'openai', fieldsSet: ['apiKey'] })]);
    expect(data.webhookEndpoints).toEqual([expect.objectContaining({ url: 'http://127.0.0.1:9/hook' })]);
    expect(data.user.emailPreferences).toEqual({ minutes_ready: false });
    expect(data.user.emailUnsubscribes).toEqual([{ kind: 'signed_ata', at: expect.any(String) }]);
    expect(data.emails).toEqual([
      expect.objectContaining({ kind: 'signed_ata', recipient: 'conselheira@example.com', recipientName: 'Conselheira', status: 'failed', errorCode: 'smtp_refused_550', facts: { minutesId: mine.minutesId, topic: 'Reunião da Dona' } }),
    ]);
    expect(data.sessions.length).toBeGreaterThan(0);
    expect(data.auditLogs.map((entry: { action: string }) => entry.action)).toContain('user.data_exported');
    for (const secret of ['passwordHash', 'password_hash', '$argon2', apiKey, webhookSecret, 'sealed', 'tokenHash', 'token_hash', owner.password]) expect(text).not.toContain(secret);
    for (const foreign of [other.id, other.email, theirs.meetingId, theirs.minutesId, 'Reunião Alheia Confidencial', 'alheio@example.com']) expect(text).not.toContain(foreign);

    const pdfEntry = entries.get(`files/${mine.pdfKey}`);
    expect(pdfEntry).toBeDefined();
    expect(pdfEntry!.equals(await fs.readFile(path.join(filesDir, mine.pdfKey)))).toBe(true);
    const served = Buffer.from(await (await send('GET', `/v1/minutes/${mine.minutesId}/pdf`, owner.token)).arrayBuffer());
    expect(pdfEntry!.equals(served)).toBe(true);
    expect([...entries.keys()].filter((name) => name.startsWith('files/')).sort()).toEqual((data.files as string[]).sort());
    expect(data.files).toHaveLength(2);
    expect([...entries.keys()].some((name) => name.includes(theirs.pdfKey))).toBe(false);
  });

  it("the export of a transcript with large turns is a whole zip: data.json says where its original file is instead of repeating the turns", async () => {
    const owner = await registerUser(baseUrl);
    const mine = await meetingWithMinutes(owner, 'Reunião Longa');
    const [stored] = await sql('SELECT id, file_key FROM transcripts WHERE meeting_id = $1', [mine.meetingId]);
    // Turns of about 6 MB, as a long meeting's upload gives.
    await sql(
      `UPDATE transcripts SET turns = (SELECT jsonb_agg(jsonb_build_object('speaker', 'Maria Conceição', 'text', 'turn ' || n || ' ' || repeat('x', 280))) FROM generate_series(1, 20000) n) WHERE id = $1`,
      [stored.id],
    );
    // A transcript with no stored file (none is written so today): its turns are the only copy, so they stay in data.json.
    const [fileless] = await sql(`INSERT INTO transcripts (meeting_id, source, format, file_key, turns) VALUES ($1, 'upload', 'txt', NULL, '[{"speaker": "João", "text": "só aqui"}]') RETURNING id`, [
      mine.meetingId,
    ]);

    const response = await send('GET', '/v1/user/export', owner.token);
    expect(response.status).toBe(200);
    const entries = await unzip(Buffer.from(await response.arrayBuffer()));
    const text = entries.get('data.json')!.toString('utf8');
    expect(text.length).toBeLessThan(1_000_000);
    const data = JSON.parse(text);
    const fileKey = stored.file_key as string;
    expect(data.transcripts).toEqual(
      expect.arrayContaining([
        { id: stored.id, meetingId: mine.meetingId, source: 'upload', format: 'txt', file: `files/${fileKey}`, createdAt: expect.any(String) },
        { id: fileless.id, meetingId: mine.meetingId, source: 'upload', format: 'txt', file: null, turns: [{ speaker: 'João', text: 'só aqui' }], createdAt: expect.any(String) },
      ]),
    );
    expect(data.transcripts).toHaveLength(2);
    expect(data.files).toContain(`files/${fileKey}`);
    expect(entries.get(`files/${fileKey}`)!.toString('utf8')).toBe(transcript);
    expect(entries.get(`files/${mine.pdfKey}`)!.equals(await fs.readFile(path.join(filesDir, mine.pdfKey)))).toBe(true);
  });

  it('a file gone from storage when the export reads it becomes a .missing note, and the zip is still whole', async () => {
    const owner = await registerUser(baseUrl);
    const mine = await meetingWithMinutes(owner, 'Reunião com Arquivo Perdido');
    const transcriptKey = (await sql('SELECT file_key FROM transcripts WHERE meeting_id = $1', [mine.meetingId]))[0].file_key as string;
    const missingEntries = (entries: Map<string, Buffer>) => [...entries.keys()].filter((name) => name.endsWith('.missing'));

    // Deleted after the export listed it (as the orphan sweep or a replaced PDF would), right before it is read.
    const storage = createLocalStorage(filesDir);
    const racing: Storage = {
      ...storage,
      get: async (key) => (key === mine.pdfKey && (await storage.delete(key)), storage.get(key)),
      getStream: async (key) => (key === mine.pdfKey && (await storage.delete(key)), storage.getStream(key)),
    };
    const exporter = createDataExportService({ database: server.database, storage: racing, files: server.services.files, audit: server.services.audit, log: server.log });
    const { zip } = await exporter.exportUser(owner.id, { ip: undefined, userAgent: undefined });
    const chunks: Buffer[] = [];
    for await (const chunk of zip) chunks.push(chunk as Buffer);
    const raced = await unzip(Buffer.concat(chunks));
    expect(missingEntries(raced)).toEqual([`files/${mine.pdfKey}.missing`]);
    expect(raced.get(`files/${mine.pdfKey}.missing`)!.toString('utf8')).toContain('was not in storage');
    expect(raced.has(`files/${mine.pdfKey}`)).toBe(false);
    expect(raced.get(`files/${transcriptKey}`)!.toString('utf8')).toBe(transcript);
    expect(JSON.parse(raced.get('data.json')!.toString('utf8')).files).toEqual(expect.arrayContaining([`files/${mine.pdfKey}`, `files/${transcriptKey}`]));

    // The row still names the file, storage no longer has it: the download says so too.
    const response = await send('GET', '/v1/user/export', owner.token);
    expect(response.status).toBe(200);
    const served = await unzip(Buffer.from(await response.arrayBuffer()));
    expect(missingEntries(served)).toEqual([`files/${mine.pdfKey}.missing`]);
    expect(served.get(`files/${transcriptKey}`)!.toString('utf8')).toBe(transcript);
  });

  it('GET /v1/user/export is limited to 5 an hour per user', async () => {
    const user = await registerUser(baseUrl);
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await send('GET', '/v1/user/export', user.token);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    const refused = await send('GET', '/v1/user/export', user.token);
    expect(refused.status).toBe(429);
    expect((await readJson(refused)).code).toBe('rate_limited');
  });
});
