import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startOpenAIEmulator, type OpenAIEmulator } from '../emulators/openai/openai-emulator.js';
import { startZoomEmulator, type ZoomEmulator } from '../emulators/zoom/zoom-emulator.js';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { readJson } from './helpers/http.js';
import { s3rverCredentials, startS3rver } from './helpers/s3.js';
import { openaiServerEnv, startTestServer, zoomServerEnv } from './helpers/server.js';
import { bearer, registerUser } from './helpers/users.js';

const bucket = 'atas-minutes';
let s3: Awaited<ReturnType<typeof startS3rver>>;
let openai: OpenAIEmulator;
let zoom: ZoomEmulator;
let database: TestDatabase;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  s3 = await startS3rver(bucket);
  openai = await startOpenAIEmulator({ apiKey: 'sk-test-s3' });
  zoom = await startZoomEmulator({ credentials: { accountId: 'acct-s3', clientId: 'client-s3', clientSecret: 'secret-s3', webhookSecret: 'hook-s3' } });
  database = await createTestDatabase();
  server = await startTestServer({
    databaseUrl: database.url,
    env: {
      ...zoomServerEnv(zoom),
      ...openaiServerEnv(openai),
      STORAGE_TYPE: 's3',
      AWS_S3_BUCKET: bucket,
      AWS_S3_ENDPOINT: s3.endpoint,
      AWS_S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: s3rverCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3rverCredentials.secretAccessKey,
    },
  });
  baseUrl = (await server.listen())!;
});
afterAll(async () => {
  await server.stop();
  await database.drop();
  await openai.stop();
  await zoom.stop();
  await s3.stop();
});

it('keeps the transcript and the minutes PDF in S3-compatible storage and serves them back', async () => {
  const user = await registerUser(baseUrl);
  const headers = { ...bearer(user.token), 'content-type': 'application/json' };
  const created = await fetch(`${baseUrl}/v1/meetings`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ topic: 'Reunião do conselho fiscal', startTime: new Date(Date.now() + 86_400_000).toISOString(), duration: 30 }),
  });
  expect(created.status).toBe(201);
  const { meeting } = await readJson(created);
  const uploaded = await fetch(`${baseUrl}/v1/meetings/${meeting.id}/transcript`, {
    method: 'POST',
    headers: { ...bearer(user.token), 'content-type': 'text/plain' },
    body: 'Maria: Fica aprovado o relatório anual.\nJoão: De acordo.',
  });
  expect(uploaded.status).toBe(201);
  const generated = await fetch(`${baseUrl}/v1/meetings/${meeting.id}/minutes`, { method: 'POST', headers, body: '{}' });
  expect(generated.status).toBe(201);
  const { minutes } = await readJson(generated);

  const pdf = Buffer.from(await (await fetch(`${baseUrl}/v1/minutes/${minutes.id}/pdf`, { headers: bearer(user.token) })).arrayBuffer());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

  const client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: s3rverCredentials });
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  const keys = (listed.Contents ?? []).map((object) => object.Key);
  expect(keys).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^transcripts/${meeting.id}/.+\\.txt$`)), expect.stringMatching(new RegExp(`^minutes/${minutes.id}/.+-draft\\.pdf$`))]));
  const stored = await client.send(new GetObjectCommand({ Bucket: bucket, Key: keys.find((key) => key?.startsWith('minutes/')) }));
  expect(stored.ContentType).toBe('application/pdf');
  expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(pdf)).toBe(true);
  client.destroy();
});
