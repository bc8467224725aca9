import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import { exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDocuSignEmulator, type DocuSignEmulator } from '../emulators/docusign/docusign-emulator.js';
import { startOpenAIEmulator, type OpenAIEmulator } from '../emulators/openai/openai-emulator.js';
import { startZoomEmulator, type ZoomEmulator } from '../emulators/zoom/zoom-emulator.js';
import { findFreePort } from '../src/lib/ports.js';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { docusignContractProblems } from './helpers/docusign-contract.js';
import { readJson } from './helpers/http.js';
import { expectOwnerOnly } from './helpers/ownership.js';
import { extractPdfText } from './helpers/pdf-text.js';
import { docusignServerEnv, openaiServerEnv, startTestServer, zoomServerEnv } from './helpers/server.js';
import { bearer, registerUser, type TestUser } from './helpers/users.js';

const HMAC_KEYS = ['connect-key-current-0123456789', 'connect-key-previous-0123456789'];
const transcript = ['Maria: Declaro aberta a reunião.', 'João: Fica aprovado por unanimidade o relatório anual.', 'Maria: Nada mais havendo a tratar, encerro.'].join('\n');
const signers = [
  { email: 'maria@example.com', name: 'Maria Conceição' },
  { email: 'joao@example.com', name: 'João Araújo' },
];

describe('signatures through DocuSign', () => {
  let zoom: ZoomEmulator;
  let openai: OpenAIEmulator;
  let docusign: DocuSignEmulator;
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;
  let owner: TestUser;
  let privateKeyPem: string;

  beforeAll(async () => {
    const keys = await generateKeyPair('RS256', { extractable: true });
    privateKeyPem = await exportPKCS8(keys.privateKey);
    zoom = await startZoomEmulator({ credentials: { accountId: 'acct-sig', clientId: 'client-sig', clientSecret: 'secret-sig', webhookSecret: 'hook-sig' } });
    openai = await startOpenAIEmulator({ apiKey: 'sk-test-signatures' });
    docusign = await startDocuSignEmulator({ integrationKey: 'ik-atas', userId: 'user-atas', publicKeyPem: await exportSPKI(keys.publicKey), hmacKeys: [HMAC_KEYS[0]!] });
    database = await createTestDatabase();
    const port = await findFreePort();
    server = await startTestServer({
      databaseUrl: database.url,
      env: {
        PORT: String(port),
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        ...zoomServerEnv(zoom),
        ...openaiServerEnv(openai),
        ...docusignServerEnv(docusign, { integrationKey: 'ik-atas', userId: 'user-atas', privateKeyPem, connectHmacKeys: HMAC_KEYS }),
        DOCUSIGN_RECONCILE_AFTER: '1s',
        MINUTES_WAIT_MS: '15000',
        RATE_LIMIT_MAX_REQUESTS: '10000',
      },
    });
    baseUrl = (await server.listen())!;
  });
  beforeEach(async () => {
    owner = await registerUser(baseUrl);
    docusign.reset();
    docusign.setConsent(true);
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
    await docusign.stop();
    await openai.stop();
    await zoom.stop();
  });

  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}, user = owner) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...bearer(user.token), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const json = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}, user = owner) => {
    const response = await send(method, path, body, headers, user);
    return { status: response.status, headers: response.headers, body: await readJson(response) };
  };

  async function finalizedMinutes(user = owner): Promise<string> {
    const created = await json('POST', '/v1/meetings', { topic: 'Assembleia Geral', startTime: new Date(Date.now() + 86_400_000).toISOString(), duration: 60 }, {}, user);
    const meetingId = created.body.meeting.id as string;
    const uploaded = await fetch(`${baseUrl}/v1/meetings/${meetingId}/transcript`, { method: 'POST', headers: { ...bearer(user.token), 'content-type': 'text/plain' }, body: transcript });
    expect(uploaded.status).toBe(201);
    const generated = await json('POST', `/v1/meetings/${meetingId}/minutes`, {}, {}, user);
    expect(generated.status).toBe(201);
    const finalized = await json('PATCH', `/v1/minutes/${generated.body.minutes.id}`, { status: 'finalized' }, {}, user);
    expect(finalized.body.minutes.status).toBe('finalized');
    return generated.body.minutes.id as string;
  }

  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    for (let attempt = 0; attempt < 150; attempt++) {
      const value = await read();
      if (done(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('condition not reached in time');
  }
  const minutesOf = async (minutesId: string) => (await json('GET', `/v1/minutes/${minutesId}`)).body;
  const envelopeOf = async (envelopeId: string) => (await json('GET', `/v1/docusign/envelopes/${envelopeId}`)).body;

  function signedConnect(body: string, key = HMAC_KEYS[0]!, header = 'x-docusign-signature-1') {
    return fetch(`${baseUrl}/v1/webhooks/docusign`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [header]: createHmac('sha256', key).update(body).digest('base64') },
      body,
    });
  }

  it('finalise → send → both sign → Connect → completed: the signed PDF is stored and the document chain holds', async () => {
    const minutesId = await finalizedMinutes();
    const before = docusign.received.length;
    const sent = await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const { envelopeId } = sent.body;
    expect(sent.body.envelope).toMatchObject({ envelopeId, status: 'sent', sentPdfSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await minutesOf(minutesId)).minutes.status).toBe('sent_for_signature');

    const onDocuSign = docusign.envelopes.get(envelopeId)!;
    const uploaded = onDocuSign.pdf;
    expect(onDocuSign.notification?.url).toBe(`${baseUrl}/v1/webhooks/docusign`);
    expect(createHash('sha256').update(uploaded).digest('hex')).toBe(sent.body.envelope.sentPdfSha256);
    const text = (await extractPdfText(uploaded)).text;
    expect(text).toContain('/sig1/');
    expect(text).toContain('/sig2/');
    expect(text).toContain('Maria Conceição');
    const apiRequests = docusign.received.slice(before).filter((request) => request.path.startsWith('/restapi/'));
    expect(apiRequests.map((request) => request.method)).toContain('POST');
    for (const request of apiRequests) expect(docusignContractProblems(request), `${request.method} ${request.path}`).toEqual([]);
    const served = await send('GET', `/v1/minutes/${minutesId}/pdf`);
    expect(served.headers.get('x-content-sha256')).toBe(sent.body.envelope.sentPdfSha256);

    await docusign.sign(envelopeId, 'maria@example.com');
    await docusign.sign(envelopeId, 'joao@example.com');
    const details = await until(() => minutesOf(minutesId), (body) => body.minutes.status === 'signed');
    expect(details.envelope).toMatchObject({ status: 'completed', signedPdfSha256: expect.stringMatching(/^[0-9a-f]{64}$/), certificateSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(details.documentChain).toEqual({
      contentSha256: details.minutes.contentSha256,
      sentPdfSha256: sent.body.envelope.sentPdfSha256,
      signedPdfSha256: details.envelope.signedPdfSha256,
      certificateSha256: details.envelope.certificateSha256,
    });
    const signedPdf = await send('GET', `/v1/minutes/${minutesId}/signed-pdf`);
    expect(signedPdf.status).toBe(200);
    const signedBytes = Buffer.from(await signedPdf.arrayBuffer());
    expect(signedBytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(createHash('sha256').update(signedBytes).digest('hex')).toBe(details.envelope.signedPdfSha256);
    const certificate = await send('GET', `/v1/minutes/${minutesId}/certificate`);
    expect(certificate.status).toBe(200);
    expect(createHash('sha256').update(Buffer.from(await certificate.arrayBuffer())).digest('hex')).toBe(details.envelope.certificateSha256);
    const envelope = await envelopeOf(envelopeId);
    expect(envelope.signers.map((signer: { status: string; signedAt: string | null }) => [signer.status, Boolean(signer.signedAt)])).toEqual([
      ['signed', true],
      ['signed', true],
    ]);
    // The owner's live events told each step, in order.
    const { rows: told } = await server.database.pool.query<{ type: string; data: { status?: string } }>(
      "SELECT type, data FROM user_events WHERE type LIKE 'envelope.%' AND data->>'minutesId' = $1 ORDER BY transaction_id, id",
      [minutesId],
    );
    // `delivered` is told when Connect says so before the last signature; both may arrive together.
    expect(told.map((event) => [event.type, event.data.status]).filter(([, status]) => status !== 'delivered')).toEqual([
      ['envelope.status_changed', 'sent'],
      ['envelope.status_changed', 'completed'],
      ['envelope.documents_stored', undefined],
    ]);
    expect(told.length).toBeLessThanOrEqual(4);
  });

  it('a decline ends the envelope, records the reason, and lets the minutes be sent again', async () => {
    const minutesId = await finalizedMinutes();
    const { body } = await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers });
    // As a person trying the app would, through the emulator's HTTP door.
    const declinedOnDocuSign = await fetch(`${docusign.oauthBasePath}/emulator/envelopes/${body.envelopeId}/signers/joao@example.com/decline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'O valor do item 2 está errado' }),
    });
    expect(declinedOnDocuSign.status).toBe(200);
    const declined = await until(() => envelopeOf(body.envelopeId), (value) => value.envelope.status === 'declined');
    expect(declined.envelope.declineReason).toBe('O valor do item 2 está errado');
    expect(declined.signers.find((signer: { email: string }) => signer.email === 'joao@example.com')).toMatchObject({ status: 'declined', declineReason: 'O valor do item 2 está errado' });
    expect((await minutesOf(minutesId)).minutes.status).toBe('declined');
    const again = await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers: [signers[0]] });
    expect(again.status).toBe(201);
  });

  it('void: reason required, DocuSign told, envelope and minutes voided', async () => {
    const minutesId = await finalizedMinutes();
    const { body } = await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers });
    expect((await json('POST', `/v1/docusign/envelopes/${body.envelopeId}/void`, {})).status).toBe(400);
    const voided = await json('POST', `/v1/docusign/envelopes/${body.envelopeId}/void`, { reason: 'Pauta alterada' });
    expect(voided.status).toBe(200);
    expect(voided.body.envelope).toMatchObject({ status: 'voided', voidedReason: 'Pauta alterada' });
    expect(docusign.envelopes.get(body.envelopeId)!.status).toBe('voided');
    expect((await minutesOf(minutesId)).minutes.status).toBe('voided');
    expect((await json('POST', `/v1/docusign/envelopes/${body.envelopeId}/resend`)).status).toBe(409);
  });

  it('resend asks DocuSign to e-mail the signers again', async () => {
    const minutesId = await finalizedMinutes();
    const { body } = await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers });
    const before = docusign.received.length;
    const resent = await json('POST', `/v1/docusign/envelopes/${body.envelopeId}/resend`);
    expect(resent.status).toBe(200);
    const request = docusign.received.slice(before).find((candidate) => candidate.method === 'PUT');
    expect(request?.query).toMatchObject({ resend_envelope: 'true' });
  });

  it('refuses to send minutes that are not finalised, and a second envelope while one is live', async () => {
    const created = await json('POST', '/v1/meetings', { topic: 'Reunião', startTime: new Date(Date.now() + 86_400_000).toISOString(), duration: 30 });
    await fetch(`${baseUrl}/v1/meetings/${created.body.meeting.id}/transcript`, { method: 'POST', headers: { ...bearer(owner.token), 'content-type': 'text/plain' }, body: transcript });
    const draft = await json('POST', `/v1/meetings/${created.body.meeting.id}/minutes`, {});
    const early = await json('POST', `/v1/minutes/${draft.body.minutes.id}/send-for-signature`, { signers });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('minutes_not_finalized');

    const minutesId = await finalizedMinutes();
    expect((await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers })).status).toBe(201);
    const second = await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('envelope_active');
    expect((await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers: [{ email: 'not-an-email' }] })).status).toBe(400);

    const test = await json('POST', `/v1/meetings/${created.body.meeting.id}/minutes`, { testMode: true });
    await json('PATCH', `/v1/minutes/${test.body.minutes.id}`, { status: 'finalized' });
    const refused = await json('POST', `/v1/minutes/${test.body.minutes.id}/send-for-signature`, { signers });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('test_minutes');
  });

  it('honours an Idempotency-Key: the retry answers the same envelope and DocuSign gets one', async () => {
    const minutesId = await finalizedMinutes();
    const count = () => docusign.received.filter((request) => request.method === 'POST' && request.path.endsWith('/envelopes')).length;
    const before = count();
    const first = await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers }, { 'idempotency-key': 'send-once' });
    const retry = await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers }, { 'idempotency-key': 'send-once' });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.envelopeId).toBe(first.body.envelopeId);
    expect(count() - before).toBe(1);
  });

  it('consent_required becomes 424 with the consent URL, and nothing stays half-sent', async () => {
    const minutesId = await finalizedMinutes();
    docusign.setConsent(false);
    docusign.expireAccessTokens();
    const refused = await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers });
    expect(refused.status).toBe(424);
    expect(refused.body.code).toBe('consent_required');
    expect(refused.body.details.consentUrl).toContain(`${docusign.oauthBasePath}/oauth/auth?response_type=code&scope=signature%20impersonation&client_id=ik-atas`);
    const after = await minutesOf(minutesId);
    expect(after.minutes.status).toBe('finalized');
    expect(after.envelope).toMatchObject({ status: 'failed', envelopeId: null, error: { code: 'consent_required' } });
    docusign.setConsent(true);
    expect((await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers })).status).toBe(201);
    const user = await registerUser(baseUrl);
    docusign.setConsent(false);
    docusign.expireAccessTokens();
    const status = await json('GET', '/v1/integrations/status', undefined, {}, user);
    expect(status.body.docusign).toMatchObject({ connected: false, consentRequired: true, consentUrl: expect.stringContaining('client_id=ik-atas') });
    docusign.setConsent(true);
    const consent = await json('GET', '/v1/docusign/consent-url');
    expect(consent.body.consentUrl).toContain('client_id=ik-atas');
  });

  it('Connect: forged, unsigned and old-key signatures are told apart; duplicates and late events change nothing', async () => {
    const minutesId = await finalizedMinutes();
    const { body } = await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers });
    const event = (name: string, status: string, generatedDateTime: string) =>
      JSON.stringify({
        event: name,
        apiVersion: 'v2.1',
        uri: `/restapi/v2.1/accounts/${docusign.accountId}/envelopes/${body.envelopeId}`,
        retryCount: 0,
        configurationId: 1,
        generatedDateTime,
        data: { accountId: docusign.accountId, envelopeId: body.envelopeId, envelopeSummary: { status } },
      });
    const delivered = event('envelope-delivered', 'delivered', '2030-01-01T10:00:00Z');
    expect((await fetch(`${baseUrl}/v1/webhooks/docusign`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: delivered })).status).toBe(401);
    expect((await signedConnect(delivered, 'not-the-key')).status).toBe(401);
    expect((await signedConnect(delivered, HMAC_KEYS[1], 'x-docusign-signature-2')).status).toBe(200);
    await until(() => envelopeOf(body.envelopeId), (value) => value.envelope.status === 'delivered');

    const duplicate = await signedConnect(delivered);
    expect(await readJson(duplicate)).toEqual({ success: true, duplicate: true });
    const late = await signedConnect(event('envelope-sent', 'sent', '2030-01-01T09:00:00Z'));
    expect(late.status).toBe(200);
    const lateProcessed = async () =>
      (
        await server.database.pool.query<{ processed: boolean }>(
          "SELECT processed FROM webhook_events WHERE provider = 'docusign' AND payload->>'event' = 'envelope-sent' AND payload->'data'->>'envelopeId' = $1 AND payload->>'generatedDateTime' = '2030-01-01T09:00:00Z'",
          [body.envelopeId],
        )
      ).rows.map((row) => row.processed);
    await expect.poll(lateProcessed, { timeout: 15_000, interval: 50 }).toEqual([true]);
    expect((await envelopeOf(body.envelopeId)).envelope.status).toBe('delivered');
  });

  it("verifies Connect messages about a user's own DocuSign account with that account's keys", async () => {
    const user = await registerUser(baseUrl);
    const connected = await json(
      'POST',
      '/v1/integrations/docusign',
      { credentials: { integrationKey: 'ik-atas', userId: 'user-atas', accountId: docusign.accountId, privateKey: privateKeyPem, oauthBasePath: docusign.oauthBasePath, connectHmacKeys: 'their-own-connect-key' } },
      {},
      user,
    );
    expect(connected.status, JSON.stringify(connected.body)).toBe(200);
    const minutesId = await finalizedMinutes(user);
    const { body } = await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers }, {}, user);
    const delivered = JSON.stringify({ event: 'envelope-delivered', generatedDateTime: new Date().toISOString(), data: { envelopeId: body.envelopeId, envelopeSummary: { status: 'delivered' } } });
    expect((await signedConnect(delivered, 'somebody-elses-key')).status).toBe(401);
    expect((await signedConnect(delivered, 'their-own-connect-key')).status).toBe(200);
    await until(() => json('GET', `/v1/docusign/envelopes/${body.envelopeId}`, undefined, {}, user), (value) => value.body.envelope.status === 'delivered');
    // Their key vouches for their envelopes only.
    const mine = await finalizedMinutes();
    const other = await json('POST', `/v1/minutes/${mine}/send-for-signature`, { signers });
    const forged = JSON.stringify({ event: 'envelope-voided', generatedDateTime: new Date().toISOString(), data: { envelopeId: other.body.envelopeId, envelopeSummary: { status: 'voided' } } });
    expect((await signedConnect(forged, 'their-own-connect-key')).status).toBe(401);
  });

  it('accepts the sample Connect payloads of the contract when signed (envelopes it did not send are acknowledged and left alone)', async () => {
    for (const file of ['envelope-completed.json', 'recipient-declined.json']) {
      const raw = fs.readFileSync(new URL(`./contracts/docusign/samples/${file}`, import.meta.url), 'utf8');
      const response = await signedConnect(raw);
      expect(response.status, file).toBe(200);
      expect(await readJson(response)).toMatchObject({ success: true });
    }
  });

  it('reconciliation fixes an envelope whose webhook was lost', async () => {
    const minutesId = await finalizedMinutes();
    // Every Connect message about this envelope is lost, from the first.
    for (let message = 0; message < 10; message++) docusign.dropNextConnect();
    const deliveriesBefore = docusign.connectDeliveries.length;
    const { body } = await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers: [signers[0]] });
    await docusign.sign(body.envelopeId, 'maria@example.com');
    await docusign.connectSettled();
    const lost = docusign.connectDeliveries.slice(deliveriesBefore);
    expect(lost.map((delivery) => delivery.event)).toContain('envelope-completed');
    expect(lost.every((delivery) => delivery.dropped && delivery.envelopeId === body.envelopeId)).toBe(true);
    expect((await envelopeOf(body.envelopeId)).envelope.status).toBe('sent');
    // Reconciliation asks DocuSign about envelopes nothing has moved for DOCUSIGN_RECONCILE_AFTER (1 s here).
    const reconciled = async () => {
      await server.services.signatures.reconcile();
      return (await envelopeOf(body.envelopeId)).envelope.status;
    };
    await expect.poll(reconciled, { timeout: 10_000, interval: 250 }).toBe('completed');
    // Moved by reconciliation (this call, or the scheduled one if it ran first), no Connect message having arrived.
    const { rows: moves } = await server.database.pool.query<{ source: string }>(
      "SELECT details->>'source' AS source FROM audit_logs WHERE action = 'signature.completed' AND details->>'envelopeId' = $1",
      [body.envelopeId],
    );
    expect(moves).toEqual([{ source: 'reconciliation' }]);
    await until(() => minutesOf(minutesId), (value) => value.minutes.status === 'signed');
  });

  it('a create whose answer is lost is found on DocuSign by its reference, not sent twice', async () => {
    const minutesId = await finalizedMinutes();
    const before = docusign.envelopes.size;
    docusign.loseNextCreateAnswer();
    const sent = await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(docusign.envelopes.size - before).toBe(1);
    expect(docusign.envelopes.get(sent.body.envelopeId)?.customFields.textCustomFields).toMatchObject([{ name: 'atasReference', value: sent.body.envelope.id, show: 'false' }]);
  });

  it('settles envelopes left being sent by a worker that died: failed when DocuSign never got them', async () => {
    const minutesId = await finalizedMinutes();
    // What a crash between the request and the send job leaves behind.
    const { rows } = await server.database.pool.query<{ id: string }>(
      "INSERT INTO docusign_envelopes (meeting_minutes_id, user_id, status, created_at) VALUES ($1, $2, 'created', now() - interval '1 hour') RETURNING id",
      [minutesId, owner.id],
    );
    await server.database.pool.query("UPDATE meeting_minutes SET status = 'sent_for_signature' WHERE id = $1", [minutesId]);
    expect((await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers })).body.code).toBe('envelope_active');
    await server.services.signatures.settleUnconfirmed();
    const { rows: settled } = await server.database.pool.query<{ status: string }>('SELECT status FROM docusign_envelopes WHERE id = $1', [rows[0]!.id]);
    expect(settled[0]!.status).toBe('failed');
    expect((await minutesOf(minutesId)).minutes.status).toBe('finalized');
    expect((await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers })).status).toBe(201);
  });

  it('a decline whose message does not say why takes the reason from DocuSign', async () => {
    const minutesId = await finalizedMinutes();
    const { body } = await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers });
    docusign.dropNextConnect();
    docusign.dropNextConnect();
    docusign.dropNextConnect();
    docusign.dropNextConnect();
    await docusign.decline(body.envelopeId, 'maria@example.com', 'Falta o item 3');
    const bare = JSON.stringify({ event: 'recipient-declined', generatedDateTime: new Date().toISOString(), data: { envelopeId: body.envelopeId, recipientId: '1' } });
    expect((await signedConnect(bare)).status).toBe(200);
    const declined = await until(() => envelopeOf(body.envelopeId), (value) => value.envelope.status === 'declined');
    expect(declined.envelope.declineReason).toBe('Falta o item 3');
  });

  it('resend of an envelope DocuSign already ended answers 409 and brings the envelope up to date', async () => {
    const minutesId = await finalizedMinutes();
    const { body } = await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers });
    for (let message = 0; message < 4; message++) docusign.dropNextConnect();
    await docusign.decline(body.envelopeId, 'joao@example.com', 'Não concordo');
    const resent = await json('POST', `/v1/docusign/envelopes/${body.envelopeId}/resend`);
    expect(resent.status).toBe(409);
    expect(resent.body).toMatchObject({ code: 'conflict', details: { status: 'declined' } });
    expect((await envelopeOf(body.envelopeId)).envelope).toMatchObject({ status: 'declined', declineReason: 'Não concordo' });
    expect((await minutesOf(minutesId)).minutes.status).toBe('declined');
  });

  it('a void DocuSign already did is recognised, not reported as a failure', async () => {
    const minutesId = await finalizedMinutes();
    const { body } = await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers });
    docusign.dropNextConnect();
    await docusign.voidEnvelope(body.envelopeId, 'Anulado no DocuSign');
    const voided = await json('POST', `/v1/docusign/envelopes/${body.envelopeId}/void`, { reason: 'Pauta alterada' });
    expect(voided.status, JSON.stringify(voided.body)).toBe(200);
    expect(voided.body.envelope).toMatchObject({ status: 'voided', voidedReason: 'Anulado no DocuSign' });
  });

  it('reports DocuSign and OpenAI connected in the integrations status', async () => {
    const status = await json('GET', '/v1/integrations/status');
    expect(status.body.docusign).toEqual({ connected: true, consentRequired: false, source: 'server' });
    expect(status.body.openai).toEqual({ connected: true, source: 'server' });
  });

  it('schedules the reconciliation every minute', async () => {
    const { rows } = await server.database.pool.query<{ name: string; cron: string }>('SELECT name, cron FROM pgboss.schedule');
    expect(rows).toContainEqual({ name: 'reconcile-envelopes', cron: '* * * * *' });
  });

  it('includeSignature on generation sends the new minutes for signature', async () => {
    const created = await json('POST', '/v1/meetings', { topic: 'Conselho Fiscal', startTime: new Date(Date.now() + 86_400_000).toISOString(), duration: 30 });
    await fetch(`${baseUrl}/v1/meetings/${created.body.meeting.id}/transcript`, { method: 'POST', headers: { ...bearer(owner.token), 'content-type': 'text/plain' }, body: transcript });
    const generated = await json('POST', `/v1/meetings/${created.body.meeting.id}/minutes`, { includeSignature: true, signers });
    expect(generated.status, JSON.stringify(generated.body)).toBe(201);
    expect(generated.body.envelopeId).toEqual(expect.any(String));
    expect(docusign.envelopes.get(generated.body.envelopeId)).toBeDefined();
    expect((await minutesOf(generated.body.minutes.id)).minutes.status).toBe('sent_for_signature');
  });

  it('includeSignature when DocuSign refuses: the minutes stay finalised, with their PDF, and the envelope says why', async () => {
    const created = await json('POST', '/v1/meetings', { topic: 'Conselho Fiscal', startTime: new Date(Date.now() + 86_400_000).toISOString(), duration: 30 });
    await fetch(`${baseUrl}/v1/meetings/${created.body.meeting.id}/transcript`, { method: 'POST', headers: { ...bearer(owner.token), 'content-type': 'text/plain' }, body: transcript });
    docusign.setConsent(false);
    docusign.expireAccessTokens();
    const generated = await json('POST', `/v1/meetings/${created.body.meeting.id}/minutes`, { includeSignature: true, signers });
    expect(generated.status, JSON.stringify(generated.body)).toBe(201);
    expect(generated.body.minutes).toMatchObject({ status: 'finalized', pdfUrl: expect.any(String) });
    expect(generated.body.envelopeId).toBeUndefined();
    const details = await minutesOf(generated.body.minutes.id);
    expect(details.envelope).toMatchObject({ status: 'failed', error: { code: 'consent_required' } });
    expect((await send('GET', `/v1/minutes/${generated.body.minutes.id}/pdf`)).status).toBe(200);
  });

  it('lists envelopes by status with pagination, and serves every route to its owner only', async () => {
    const minutesId = await finalizedMinutes();
    const { body } = await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers });
    const listed = await json('GET', '/v1/docusign/envelopes?status=sent&page=1&limit=10');
    expect(listed.body.envelopes.map((envelope: { envelopeId: string }) => envelope.envelopeId)).toEqual([body.envelopeId]);
    expect(listed.body.pagination).toMatchObject({ page: 1, limit: 10, total: 1 });
    expect((await json('GET', '/v1/docusign/envelopes?status=completed')).body.envelopes).toEqual([]);

    const intruder = await registerUser(baseUrl);
    await expectOwnerOnly(baseUrl, { method: 'GET', path: `/v1/docusign/envelopes/${body.envelopeId}` }, owner, intruder);
    await expectOwnerOnly(baseUrl, { method: 'POST', path: `/v1/docusign/envelopes/${body.envelopeId}/resend` }, owner, intruder);
    await expectOwnerOnly(baseUrl, { method: 'POST', path: `/v1/docusign/envelopes/${body.envelopeId}/void`, body: { reason: 'Teste' } }, owner, intruder);
    await expectOwnerOnly(baseUrl, { method: 'GET', path: `/v1/minutes/${minutesId}/signed-pdf`, ownerStatus: 404 }, owner, intruder);
    await expectOwnerOnly(baseUrl, { method: 'GET', path: `/v1/minutes/${minutesId}/certificate`, ownerStatus: 404 }, owner, intruder);
    const otherMinutes = await finalizedMinutes();
    await expectOwnerOnly(baseUrl, { method: 'POST', path: `/v1/minutes/${otherMinutes}/send-for-signature`, body: { signers }, ownerStatus: 201 }, owner, intruder);
    expect((await json('GET', '/v1/docusign/envelopes', undefined, {}, intruder)).body.envelopes).toEqual([]);
  });
});
