import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalStorage } from '../../src/lib/storage.js';
import type { Server } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { readJson } from '../helpers/http.js';
import { startTestServer } from '../helpers/server.js';
import { makeSharedTempDir } from '../helpers/temp-dir.js';
import { bearer, postJson, registerUser, type TestUser } from '../helpers/users.js';

/** Stored files follow their rows: none is left that no row names, and an account takes its files with it. */
describe('stored files and their rows', () => {
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;
  let filesDir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const dataDir = makeSharedTempDir('atas-files-');
    server = await startTestServer({ databaseUrl: database.url, env: { DATA_DIR: dataDir } });
    baseUrl = (await server.listen())!;
    filesDir = path.join(dataDir, 'files');
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
  });

  const storedFiles = async () => (await fs.readdir(filesDir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => path.relative(filesDir, path.join(entry.parentPath, entry.name)));
  const age = (key: string, hours: number) => fs.utimes(path.join(filesDir, key), new Date(Date.now() - hours * 3_600_000), new Date(Date.now() - hours * 3_600_000));

  async function uploadTranscript(user: TestUser) {
    const created = await readJson(await postJson(`${baseUrl}/v1/meetings`, { topic: 'Conselho', startTime: '2026-01-10T13:00:00Z', duration: 60, onZoom: false }, bearer(user.token)));
    const uploaded = await fetch(`${baseUrl}/v1/meetings/${created.meeting.id}/transcript`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...bearer(user.token) },
      body: 'Ana Souza: Abrimos a sessão.\nBruno Lima: Aprovado.\n',
    });
    expect(uploaded.status).toBe(201);
    return (await server.database.pool.query('SELECT t.file_key FROM transcripts t WHERE t.meeting_id = $1', [created.meeting.id])).rows[0].file_key as string;
  }

  it('the hourly sweep deletes files no row names once they are an hour old, and keeps every other', async () => {
    const user = await registerUser(baseUrl);
    const kept = await uploadTranscript(user);
    const orphan = 'transcripts/crashed-before-its-row/orphan.vtt';
    const fresh = 'transcripts/row-about-to-commit/fresh.vtt';
    const partial = 'minutes/m/x.pdf.123.abc.partial';
    const storage = createLocalStorage(filesDir);
    for (const key of [orphan, fresh, partial]) await storage.put(key, 'bytes');
    for (const key of [kept, orphan, partial]) await age(key, 2);

    expect(await server.services.files.sweepOrphans()).toEqual({ deleted: 2 });
    const left = await storedFiles();
    expect(left).toEqual(expect.arrayContaining([kept, fresh]));
    expect(left).not.toContain(orphan);
    expect(left).not.toContain(partial);
    expect((await fetch(`${baseUrl}/v1/meetings`, { headers: bearer(user.token) })).status).toBe(200);
  });

  it('deleting an account deletes its stored files at once, and only its own', async () => {
    const leaving = await registerUser(baseUrl);
    const staying = await registerUser(baseUrl);
    const leavingFile = await uploadTranscript(leaving);
    const stayingFile = await uploadTranscript(staying);
    const deleted = await fetch(`${baseUrl}/v1/user`, { method: 'DELETE', headers: { ...bearer(leaving.token), 'content-type': 'application/json' }, body: JSON.stringify({ password: leaving.password }) });
    expect(deleted.status).toBe(200);
    const left = await storedFiles();
    expect(left).not.toContain(leavingFile);
    expect(left).toContain(stayingFile);
  });

  it('an upload that cannot be read leaves no file behind', async () => {
    const user = await registerUser(baseUrl);
    const before = await storedFiles();
    const created = await readJson(await postJson(`${baseUrl}/v1/meetings`, { topic: 'Conselho', startTime: '2026-01-10T13:00:00Z', duration: 60, onZoom: false }, bearer(user.token)));
    const refused = await fetch(`${baseUrl}/v1/meetings/${created.meeting.id}/transcript`, { method: 'POST', headers: { 'content-type': 'text/vtt', ...bearer(user.token) }, body: 'not a webvtt file' });
    expect(refused.status).toBe(422);
    expect((await storedFiles()).sort()).toEqual(before.sort());
  });
});
