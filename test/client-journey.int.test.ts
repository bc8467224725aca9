import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtasError, createAtasClient, orThrow, type AtasClient } from '../clients/typescript/src/index.js';
import type { DocuSignEmulator } from '../emulators/docusign/docusign-emulator.js';
import { startOpenAIEmulator, type OpenAIEmulator } from '../emulators/openai/openai-emulator.js';
import { CLIENT_TYPES_PATH, clientTypesOf } from '../scripts/client-types.js';
import { findFreePort } from '../src/lib/ports.js';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { readJson } from './helpers/http.js';
import { createDocumentChecker, type OpenApiDocument } from './helpers/openapi-document.js';
import { openaiServerEnv, startDocuSignForServer, startTestServer } from './helpers/server.js';

const HMAC_KEY = 'journey-connect-key-0123456789';
const transcript = [
  'Maria: Declaro aberta a reunião do conselho.',
  'João: Fica aprovado por unanimidade o relatório anual.',
  'Maria: João enviará o relatório aos acionistas até sexta-feira.',
  'Maria: Nada mais havendo a tratar, encerro a reunião.',
].join('\n');
const signers = [
  { email: 'maria@example.com', name: 'Maria Conceição' },
  { email: 'joao@example.com', name: 'João Araújo' },
];

/** A generation's JSON answer: it answers an event stream (text) only to `Accept: text/event-stream`. */
function jsonOf<Data>(data: Data): Exclude<Data, string> {
  if (typeof data === 'string') throw new Error('an event stream, where JSON was expected');
  return data as Exclude<Data, string>;
}

/**
 * The whole journey a frontend makes, through the typed client generated from the OpenAPI
 * document, every answer checked against that document: status, body, headers.
 */
describe('the typed client, through the whole journey', () => {
  let openai: OpenAIEmulator;
  let docusign: DocuSignEmulator;
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;
  let document: OpenApiDocument;
  const problems: string[] = [];
  let checked = 0;

  beforeAll(async () => {
    openai = await startOpenAIEmulator({ apiKey: 'sk-test-journey' });
    const signing = await startDocuSignForServer({ integrationKey: 'ik-journey', userId: 'user-journey', connectHmacKeys: [HMAC_KEY] });
    docusign = signing.docusign;
    database = await createTestDatabase();
    const port = await findFreePort();
    server = await startTestServer({
      databaseUrl: database.url,
      env: {
        PORT: String(port),
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        ...openaiServerEnv(openai),
        ...signing.env,
        MINUTES_WAIT_MS: '15000',
      },
    });
    baseUrl = (await server.listen())!;
    document = await readJson(await fetch(`${baseUrl}/v1/openapi.json`));
    docusign.setConsent(true);
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
    await Promise.all([docusign.stop(), openai.stop()]);
  });

  /** A client whose every answer is checked against the document (the body read from a clone). */
  function checkedClient(token?: () => string | undefined): AtasClient {
    const checker = createDocumentChecker(document);
    const client = createAtasClient({ baseUrl, ...(token ? { token } : {}) });
    client.use({
      async onResponse({ request, response }) {
        const isJson = response.headers.get('content-type')?.startsWith('application/json');
        const isStream = response.headers.get('content-type')?.startsWith('text/event-stream');
        const body = isJson ? await response.clone().json() : isStream ? undefined : await response.clone().arrayBuffer();
        problems.push(...checker.problemsOf({ method: request.method, path: new URL(request.url).pathname }, { status: response.status, headers: response.headers, body }));
        checked++;
      },
    });
    return client;
  }

  it('registers, meets, uploads, generates (at once, later and streamed), edits, finalises, sends, and gets the signed ata: every answer as documented', async () => {
    const session: { token?: string } = {};
    const atas = checkedClient(() => session.token);

    const account = await orThrow(atas.POST('/v1/auth/register', { body: { email: 'secretaria@example.com', password: 'uma senha longa 123', name: 'Secretaria' } }));
    session.token = account.token;
    const refused = await atas.POST('/v1/auth/login', { body: { email: 'secretaria@example.com', password: 'not the password' } });
    expect(refused.error?.code).toBe('invalid_credentials'); // typed: the login's documented codes

    const { meeting } = await orThrow(atas.POST('/v1/meetings', { body: { topic: 'Conselho de Administração', startTime: '2026-01-10T13:00:00Z', duration: 60, onZoom: false } }));
    const uploaded = await orThrow(
      atas.POST('/v1/meetings/{id}/transcript', { params: { path: { id: meeting.id } }, body: transcript as never, bodySerializer: (text: string) => text, headers: { 'content-type': 'text/plain' } }),
    );
    expect(uploaded.turns).toHaveLength(4);

    // At once (the answer waits for the job), later (202, then followed), and streamed.
    const now = jsonOf(await orThrow(atas.POST('/v1/meetings/{meetingId}/minutes', { params: { path: { meetingId: meeting.id } }, body: { language: 'pt-BR' } })));
    expect(now.minutes.status).toBe('draft');
    const later = await atas.POST('/v1/meetings/{meetingId}/minutes', { params: { path: { meetingId: meeting.id }, header: { prefer: 'respond-async' } }, body: { language: 'pt-BR' } });
    expect(later.response.status).toBe(202);
    const pending = jsonOf(later.data!).minutes;
    expect(later.response.headers.get('location')).toBe(`/v1/minutes/${pending.id}`);
    let followed = await orThrow(atas.GET('/v1/minutes/{id}', { params: { path: { id: pending.id } } }));
    for (let attempt = 0; followed.minutes.status === 'generating' && attempt < 100; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      followed = await orThrow(atas.GET('/v1/minutes/{id}', { params: { path: { id: pending.id } } }));
    }
    expect(followed.minutes.status).toBe('draft');
    const streamed = await atas.POST('/v1/meetings/{meetingId}/minutes', {
      params: { path: { meetingId: meeting.id }, header: { accept: 'text/event-stream' } },
      body: { language: 'pt-BR' },
      parseAs: 'text',
    });
    expect(streamed.response.status).toBe(200);
    const events = [...(streamed.data as string).matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);
    expect(events[0]).toBe('accepted');
    expect(events.at(-1)).toBe('done');

    const minutesId = followed.minutes.id;
    const busy = await atas.PATCH('/v1/minutes/{id}', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } }, body: { content: 'x' } });
    expect(busy.error?.code).toBe('not_found');
    // The three generations wrote one minutes' versions: the edit is the next one.
    const current = await orThrow(atas.GET('/v1/minutes/{id}', { params: { path: { id: minutesId } } }));
    expect(current.minutes.version).toBe(3);
    const edited = await orThrow(atas.PATCH('/v1/minutes/{id}', { params: { path: { id: minutesId } }, body: { content: `${current.minutes.content}\n\nRevisado pela secretaria.` } }));
    expect(edited.minutes.version).toBe(4);
    const finalized = await orThrow(atas.PATCH('/v1/minutes/{id}', { params: { path: { id: minutesId } }, body: { status: 'finalized' } }));
    expect(finalized.minutes.status).toBe('finalized');
    const pdf = await atas.GET('/v1/minutes/{id}/pdf', { params: { path: { id: minutesId } }, parseAs: 'arrayBuffer' });
    expect(Buffer.from(pdf.data!).subarray(0, 5).toString()).toBe('%PDF-');

    const sent = await orThrow(atas.POST('/v1/minutes/{id}/send-for-signature', { params: { path: { id: minutesId } }, body: { signers } }));
    expect(sent.envelope.status).toBe('sent');
    const envelopeId = sent.envelopeId!;
    for (const signer of signers) await docusign.sign(envelopeId, signer.email);
    let envelope = await orThrow(atas.GET('/v1/docusign/envelopes/{envelopeId}', { params: { path: { envelopeId } } }));
    for (let attempt = 0; !envelope.envelope.signedPdfSha256 && attempt < 150; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      envelope = await orThrow(atas.GET('/v1/docusign/envelopes/{envelopeId}', { params: { path: { envelopeId } } }));
    }
    expect(envelope.envelope.status).toBe('completed');
    const signed = await atas.GET('/v1/minutes/{id}/signed-pdf', { params: { path: { id: minutesId } }, parseAs: 'arrayBuffer' });
    const certificate = await atas.GET('/v1/minutes/{id}/certificate', { params: { path: { id: minutesId } }, parseAs: 'arrayBuffer' });
    expect(signed.response.headers.get('x-content-sha256')).toBe(envelope.envelope.signedPdfSha256);
    expect(Buffer.from(certificate.data!).subarray(0, 5).toString()).toBe('%PDF-');

    const gone = await atas.GET('/v1/meetings/{id}', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } } });
    await expect(orThrow(Promise.resolve(gone))).rejects.toMatchObject({ constructor: AtasError, status: 404, code: 'not_found', requestId: expect.any(String) });

    expect(checked).toBeGreaterThanOrEqual(20);
    expect(problems).toEqual([]);
  });

  it('has its generated types up to date with the document (`npm run openapi` writes them)', async () => {
    expect(fs.readFileSync(CLIENT_TYPES_PATH, 'utf8'), 'clients/typescript/src/openapi.d.ts is stale: run `npm run openapi`').toBe(await clientTypesOf(document));
  });
});
