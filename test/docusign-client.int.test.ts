import { createHmac, createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDocuSignEmulator, type DocuSignEmulator } from '../emulators/docusign/docusign-emulator.js';
import { createDocuSignClient, type DocuSignCredentials, type DocuSignEnvelopeInput } from '../src/providers/docusign/docusign.client.js';
import { connectEvent, verifyConnectSignature } from '../src/providers/docusign/docusign.connect.js';
import { ProviderError } from '../src/providers/provider-error.js';
import { createResilience } from '../src/providers/resilience.js';
import { docusignContractProblems } from './helpers/docusign-contract.js';

const HMAC_KEYS = ['hmac-key-old', 'hmac-key-new'];
const PDF = Buffer.from('%PDF-1.4\n% minutes with /sig1/ and /sig2/ anchors\n%%EOF\n');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A Connect listener: keeps each message's raw bytes and headers, answers `status`. */
async function startConnectListener() {
  const messages: { headers: http.IncomingHttpHeaders; rawBody: Buffer }[] = [];
  let status = 200;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      messages.push({ headers: request.headers, rawBody: Buffer.concat(chunks) });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/docusign`,
    messages,
    eventsOf: (envelopeId: string) =>
      messages.map((message) => connectEvent.parse(JSON.parse(message.rawBody.toString('utf8')))).filter((event) => event.data.envelopeId === envelopeId),
    answerWith: (next: number) => void (status = next),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('DocuSign client against the emulator', () => {
  let emulator: DocuSignEmulator;
  let listener: Awaited<ReturnType<typeof startConnectListener>>;
  let credentials: DocuSignCredentials;

  beforeAll(async () => {
    const keys = await generateKeyPair('RS256', { extractable: true });
    emulator = await startDocuSignEmulator({ integrationKey: 'ik-1', userId: 'user-1', publicKeyPem: await exportSPKI(keys.publicKey), hmacKeys: HMAC_KEYS });
    credentials = { integrationKey: 'ik-1', userId: 'user-1', accountId: emulator.accountId, privateKey: await exportPKCS8(keys.privateKey) };
    listener = await startConnectListener();
  });
  afterEach(() => {
    emulator.reset();
    emulator.setConsent(true);
    listener.answerWith(200);
  });
  afterAll(async () => {
    await emulator.stop();
    await listener.stop();
  });

  const newClient = (overrides: Partial<Parameters<typeof createResilience>[0]> = {}, options: { credentials?: DocuSignCredentials; discover?: boolean } = {}) =>
    createDocuSignClient({
      credentials: options.credentials ?? credentials,
      oauthBasePath: emulator.oauthBasePath,
      ...(options.discover ? {} : { apiBasePath: emulator.apiBasePath }),
      resilience: createResilience({ provider: 'docusign', baseDelayMs: 10, timeoutMs: 2000, ...overrides }),
    });

  const envelopeInput = (overrides: Partial<DocuSignEnvelopeInput> = {}): DocuSignEnvelopeInput => ({
    pdf: PDF,
    documentName: 'ata.pdf',
    emailSubject: 'Ata da reunião — assinatura',
    emailBlurb: 'Por favor, assine a ata.',
    signers: [
      { email: 'maria@example.com', name: 'Maria Souza', recipientId: '1', routingOrder: 1 },
      { email: 'joao@example.com', name: 'João Pereira', recipientId: '2', routingOrder: 2 },
    ],
    anchorOf: (index) => `/sig${index + 1}/`,
    ...overrides,
  });

  const sentSince = (index: number) => emulator.received.slice(index).filter((request) => request.path.startsWith('/restapi/'));

  it('gets a token with the JWT grant and shares one token between concurrent calls', async () => {
    const client = newClient();
    const issuedBefore = emulator.issuedTokenCount();
    const infos = await Promise.all([client.userInfo(), client.userInfo(), client.userInfo()]);
    expect(infos.map((info) => info.sub)).toEqual(['user-1', 'user-1', 'user-1']);
    expect(emulator.issuedTokenCount() - issuedBefore).toBe(1);
    expect(new Set(emulator.received.filter((request) => request.path === '/oauth/userinfo').slice(-3).map((request) => request.authorization)).size).toBe(1);

    const tokenRequest = emulator.received.findLast((request) => request.path === '/oauth/token')!;
    expect(tokenRequest.body).toMatchObject({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer' });
    const claims = decodeJwt((tokenRequest.body as { assertion: string }).assertion);
    expect(claims).toMatchObject({ iss: 'ik-1', sub: 'user-1', aud: new URL(emulator.oauthBasePath).host, scope: 'signature impersonation' });
    expect(claims.exp! - claims.iat!).toBe(3600);
  });

  it('accepts a PKCS#1 key as DocuSign gives it, and reports a key DocuSign does not know as invalid_grant', async () => {
    const pkcs1 = createPrivateKey(credentials.privateKey).export({ type: 'pkcs1', format: 'pem' }).toString();
    expect((await newClient({}, { credentials: { ...credentials, privateKey: pkcs1 } }).userInfo()).sub).toBe('user-1');

    const stranger = await generateKeyPair('RS256', { extractable: true });
    const client = newClient({}, { credentials: { ...credentials, privateKey: await exportPKCS8(stranger.privateKey) } });
    await expect(client.userInfo()).rejects.toMatchObject({ provider: 'docusign', status: 400, code: 'invalid_grant', retryable: false });
    const ecKey = (await generateKeyPair('ES256', { extractable: true })).privateKey;
    for (const privateKey of ['-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----', await exportPKCS8(ecKey)]) {
      await expect(newClient({}, { credentials: { ...credentials, privateKey } }).userInfo()).rejects.toMatchObject({ code: 'invalid_private_key', retryable: false });
    }
  });

  it('reports consent_required, with the consent URL DocuSign documents', async () => {
    emulator.setConsent(false);
    const client = newClient();
    const error = await client.userInfo().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 400, code: 'consent_required', retryable: false });

    expect(client.consentUrl('https://atas.example.com/v1/integrations/docusign/callback?x=1')).toBe(
      `${emulator.oauthBasePath}/oauth/auth?response_type=code&scope=signature%20impersonation&client_id=ik-1&redirect_uri=https%3A%2F%2Fatas.example.com%2Fv1%2Fintegrations%2Fdocusign%2Fcallback%3Fx%3D1`,
    );
    const production = createDocuSignClient({ credentials, oauthBasePath: 'account-d.docusign.com', resilience: createResilience({ provider: 'docusign' }) });
    expect(production.consentUrl('https://a.example/cb')).toBe('https://account-d.docusign.com/oauth/auth?response_type=code&scope=signature%20impersonation&client_id=ik-1&redirect_uri=https%3A%2F%2Fa.example%2Fcb');
    expect(() => createDocuSignClient({ credentials, oauthBasePath: 'http://account-d.docusign.com', resilience: createResilience({ provider: 'docusign' }) })).toThrow(/https/);

    const consent = await fetch(client.consentUrl('http://127.0.0.1:9/callback'), { redirect: 'manual' });
    expect(consent.status).toBe(302);
    expect(consent.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:9\/callback\?code=/);
    expect((await client.userInfo()).sub).toBe('user-1');
  });

  it('finds the account and its base URI through userinfo when not configured', async () => {
    const { accountId: _accountId, ...withoutAccount } = credentials;
    const client = newClient({}, { credentials: withoutAccount, discover: true });
    const before = emulator.received.length;
    const { envelopeId } = await client.envelopeCreate(envelopeInput());
    await client.envelope(envelopeId);
    const paths = emulator.received.slice(before).map((request) => `${request.method} ${request.path}`);
    expect(paths.filter((path) => path.endsWith('/oauth/userinfo'))).toHaveLength(1);
    expect(paths).toContain(`POST /restapi/v2.1/accounts/${emulator.accountId}/envelopes`);

    const lost = newClient({}, { credentials: { ...credentials, accountId: 'another-account' }, discover: true });
    await expect(lost.envelope(envelopeId)).rejects.toMatchObject({ code: 'account_not_found', retryable: false });
  });

  it('creates an envelope, follows it to completion through Connect, and downloads the signed PDF and certificate', async () => {
    const client = newClient();
    const before = emulator.received.length;
    const summary = await client.envelopeCreate(envelopeInput({ webhookUrl: listener.url }));
    expect(summary).toMatchObject({ envelopeId: expect.stringMatching(UUID), status: 'sent', statusDateTime: expect.any(String) });
    const { envelopeId } = summary;
    expect(emulator.envelopes.get(envelopeId)!.signers.map((signer) => signer.anchorStrings)).toEqual([['/sig1/'], ['/sig2/']]);
    expect(await client.envelope(envelopeId)).toMatchObject({ envelopeId, status: 'sent', emailSubject: 'Ata da reunião — assinatura' });
    expect((await client.envelopeRecipients(envelopeId)).signers.map((signer) => [signer.email, signer.status])).toEqual([
      ['maria@example.com', 'sent'],
      ['joao@example.com', 'created'],
    ]);

    await expect(emulator.sign(envelopeId, 'joao@example.com')).rejects.toThrow(/no turn/);
    await emulator.sign(envelopeId, 'maria@example.com');
    await emulator.sign(envelopeId, 'joao@example.com');
    expect(await client.envelope(envelopeId)).toMatchObject({ status: 'completed', completedDateTime: expect.any(String) });
    const { signers } = await client.envelopeRecipients(envelopeId);
    expect(signers.every((signer) => signer.status === 'completed' && signer.signedDateTime)).toBe(true);

    const events = listener.eventsOf(envelopeId);
    expect(events.map((event) => `${event.event}${event.data.recipientId ? `:${event.data.recipientId}` : ''}`)).toEqual([
      'envelope-sent',
      'recipient-sent:1',
      'recipient-delivered:1',
      'recipient-completed:1',
      'recipient-sent:2',
      'recipient-delivered:2',
      'envelope-delivered',
      'recipient-completed:2',
      'envelope-completed',
    ]);
    expect(events.at(-1)!.data.envelopeSummary).toMatchObject({ status: 'completed', recipients: { signers: [{ status: 'completed' }, { status: 'completed' }] } });

    const combined = await client.documentCombined(envelopeId);
    expect(combined.subarray(0, 5).toString()).toBe('%PDF-');
    expect(combined.subarray(0, PDF.length).equals(PDF)).toBe(true);
    expect((await client.certificate(envelopeId)).subarray(0, 5).toString()).toBe('%PDF-');

    const sent = sentSince(before);
    expect(sent.map((request) => request.method)).toEqual(['POST', 'GET', 'GET', 'GET', 'GET', 'GET', 'GET']);
    for (const request of sent) expect(docusignContractProblems(request), `${request.method} ${request.path}`).toEqual([]);
  });

  it('signs every Connect message with each HMAC key, so a rotated key still verifies', async () => {
    const client = newClient();
    const { envelopeId } = await client.envelopeCreate(envelopeInput({ webhookUrl: listener.url }));
    await emulator.connectSettled();
    const messages = listener.messages.filter((message) => message.rawBody.toString().includes(envelopeId));
    expect(messages.length).toBeGreaterThan(0);
    for (const { headers, rawBody } of messages) {
      expect(headers).toMatchObject({ 'content-type': 'application/json', 'x-authorization-digest': 'HMACSHA256', 'x-docusign-accountid': emulator.accountId });
      expect(verifyConnectSignature(rawBody, headers, ['hmac-key-new'])).toBe(true);
      expect(verifyConnectSignature(rawBody, headers, ['unrelated', 'hmac-key-old'])).toBe(true);
      expect(verifyConnectSignature(rawBody, headers, ['unrelated'])).toBe(false);
      expect(verifyConnectSignature(Buffer.concat([rawBody, Buffer.from(' ')]), headers, HMAC_KEYS)).toBe(false);
      const { 'x-docusign-signature-1': _first, ...onlySecond } = headers;
      expect(verifyConnectSignature(rawBody, onlySecond, ['hmac-key-new'])).toBe(true);
      expect(verifyConnectSignature(rawBody, onlySecond, ['hmac-key-old'])).toBe(false);
    }
  });

  it('voids and resends envelopes, and refuses to void one that is over', async () => {
    const client = newClient();
    const before = emulator.received.length;
    const { envelopeId } = await client.envelopeCreate(envelopeInput({ webhookUrl: listener.url }));
    await client.envelopeResend(envelopeId);
    expect(emulator.envelopes.get(envelopeId)!.resendCount).toBe(1);
    await client.envelopeVoid(envelopeId, 'Ata substituída');
    expect(await client.envelope(envelopeId)).toMatchObject({ status: 'voided', voidedReason: 'Ata substituída', voidedDateTime: expect.any(String) });
    await emulator.connectSettled();
    expect(listener.eventsOf(envelopeId).at(-1)).toMatchObject({ event: 'envelope-voided', data: { envelopeSummary: { status: 'voided', voidedReason: 'Ata substituída' } } });

    await expect(client.envelopeVoid(envelopeId, 'again')).rejects.toMatchObject({ status: 400, code: 'ENVELOPE_CANNOT_VOID_INVALID_STATE', retryable: false });
    await expect(client.envelopeResend(envelopeId)).rejects.toMatchObject({ status: 400, code: 'ENVELOPE_INVALID_STATUS' });
    const completed = await client.envelopeCreate(envelopeInput({ signers: [{ email: 'ana@example.com', name: 'Ana', recipientId: '1', routingOrder: 1 }] }));
    await emulator.sign(completed.envelopeId, 'ana@example.com');
    await expect(client.envelopeVoid(completed.envelopeId, 'late')).rejects.toMatchObject({ code: 'ENVELOPE_CANNOT_VOID_INVALID_STATE' });

    const sent = sentSince(before);
    expect(sent.some((request) => request.method === 'PUT' && request.query.resend_envelope === 'true')).toBe(true);
    for (const request of sent) expect(docusignContractProblems(request), `${request.method} ${request.path}`).toEqual([]);
  });

  it('declines, drops a Connect message on request, and records callbacks that fail without throwing', async () => {
    const client = newClient();
    const { envelopeId } = await client.envelopeCreate(envelopeInput({ webhookUrl: listener.url }));
    emulator.dropNextConnect();
    await emulator.decline(envelopeId, 'maria@example.com', 'Discordo do item 3');
    expect(await client.envelope(envelopeId)).toMatchObject({ status: 'declined', declinedDateTime: expect.any(String) });
    expect((await client.envelopeRecipients(envelopeId)).signers[0]).toMatchObject({ status: 'declined', declinedReason: 'Discordo do item 3' });
    const deliveries = emulator.connectDeliveries.filter((delivery) => delivery.envelopeId === envelopeId);
    expect(deliveries.filter((delivery) => delivery.dropped).map((delivery) => delivery.event)).toEqual(['recipient-delivered']);
    expect(listener.eventsOf(envelopeId).map((event) => event.event)).toEqual(['envelope-sent', 'recipient-sent', 'recipient-declined', 'envelope-declined']);

    listener.answerWith(500);
    const refused = await client.envelopeCreate(envelopeInput({ webhookUrl: listener.url }));
    const unreachable = await client.envelopeCreate(envelopeInput({ webhookUrl: 'http://127.0.0.1:9/webhooks/docusign' }));
    await emulator.connectSettled();
    const outcome = (id: string) => emulator.connectDeliveries.filter((delivery) => delivery.envelopeId === id);
    expect(outcome(refused.envelopeId).every((delivery) => delivery.status === 500)).toBe(true);
    expect(outcome(unreachable.envelopeId).every((delivery) => delivery.status === undefined && delivery.error)).toBe(true);
  });

  it('refreshes the token once when DocuSign says it expired', async () => {
    const client = newClient();
    const { envelopeId } = await client.envelopeCreate(envelopeInput());
    const issuedBefore = emulator.issuedTokenCount();
    emulator.expireAccessTokens();
    expect((await client.envelope(envelopeId)).envelopeId).toBe(envelopeId);
    expect(emulator.issuedTokenCount() - issuedBefore).toBe(1);
  });

  it('waits for Retry-After, or for X-RateLimit-Reset when DocuSign sends only that, on 429', async () => {
    const client = newClient();
    const { envelopeId } = await client.envelopeCreate(envelopeInput());
    emulator.failNext({ status: 429, retryAfterSec: 1 });
    let started = Date.now();
    expect((await client.envelope(envelopeId)).envelopeId).toBe(envelopeId);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    // Two seconds ahead: a reset one second ahead falls anywhere from 0 to 1,000 ms away.
    emulator.setRateLimitReset(Math.floor(Date.now() / 1000) + 2);
    emulator.failNext({ status: 429 });
    started = Date.now();
    expect((await client.envelope(envelopeId)).envelopeId).toBe(envelopeId);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);

    // The hourly window, an hour away: too long to wait for (the top of the clock's hour may be seconds away).
    emulator.reset();
    emulator.setRateLimitReset(Math.floor(Date.now() / 1000) + 3600);
    emulator.failNext({ status: 429 });
    await expect(client.envelope(envelopeId)).rejects.toMatchObject({ status: 429, code: 'HOURLY_APIINVOCATION_LIMIT_EXCEEDED', retryAfterMs: expect.any(Number) });
  });

  it('retries a 5xx on a read, but never repeats a create that may have happened', async () => {
    const client = newClient();
    const { envelopeId } = await client.envelopeCreate(envelopeInput());
    emulator.failNext({ status: 503 });
    expect((await client.envelope(envelopeId)).envelopeId).toBe(envelopeId);

    const count = emulator.envelopes.size;
    emulator.failNext({ status: 500 });
    await expect(client.envelopeCreate(envelopeInput())).rejects.toMatchObject({ status: 500, code: 'UNSPECIFIED_ERROR', retryable: false });
    expect(emulator.envelopes.size).toBe(count);
  });

  it('retries a read whose connection was reset or whose answer was not JSON, and never repeats such a create', async () => {
    const client = newClient();
    const { envelopeId } = await client.envelopeCreate(envelopeInput());
    for (const kind of ['reset', 'invalid-json'] as const) {
      emulator.failNext({ kind });
      expect((await client.envelope(envelopeId)).envelopeId).toBe(envelopeId);
    }
    const count = emulator.envelopes.size;
    emulator.failNext({ kind: 'reset' });
    await expect(client.envelopeCreate(envelopeInput())).rejects.toMatchObject({ retryable: false });
    expect(emulator.envelopes.size).toBe(count);
  });

  it('refuses an answer that is not a PDF where a document was asked for', async () => {
    const client = newClient();
    const { envelopeId } = await client.envelopeCreate(envelopeInput());
    emulator.failNext({ status: 200, body: { errorCode: 'NOT_A_PDF', message: 'json' } });
    await expect(client.documentCombined(envelopeId)).rejects.toMatchObject({ code: 'unexpected_response', retryable: false });
  });

  it('times out slow answers, and opens the circuit after repeated failures', async () => {
    const client = newClient({ maxAttempts: 2, breakerThreshold: 2, halfOpenAfterMs: 60_000, timeoutMs: 200 });
    const { envelopeId } = await client.envelopeCreate(envelopeInput());
    emulator.setLatency(400);
    await expect(client.envelope(envelopeId)).rejects.toMatchObject({ code: 'timeout' });
    emulator.setLatency(0);
    const error = await client.envelope(envelopeId).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'circuit_open' });
  });

  it('parses the documented Connect samples, which verify when signed with a key', () => {
    const samplesDir = new URL('./contracts/docusign/samples/', import.meta.url);
    const files = fs.readdirSync(samplesDir).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const name of [...files.map((file) => new URL(file, samplesDir)), new URL('./contracts/docusign/connect.schema-v2.json', import.meta.url)]) {
      const rawBody = fs.readFileSync(name);
      expect(connectEvent.safeParse(JSON.parse(rawBody.toString('utf8'))).success, String(name)).toBe(true);
      const signature = createHmac('sha256', 'sample-key').update(rawBody).digest('base64');
      expect(verifyConnectSignature(rawBody, { 'X-DocuSign-Signature-1': signature }, ['sample-key'])).toBe(true);
      expect(verifyConnectSignature(rawBody, { 'x-docusign-signature-1': signature }, ['other-key'])).toBe(false);
      expect(verifyConnectSignature(rawBody, { 'x-docusign-signature-1': signature.slice(1) }, ['sample-key'])).toBe(false);
      expect(verifyConnectSignature(rawBody, { 'x-docusign-signature': signature }, ['sample-key'])).toBe(false);
      expect(verifyConnectSignature(rawBody, {}, ['sample-key'])).toBe(false);
    }
  });

  it('sent only requests that follow DocuSign’s swagger, in every test above', () => {
    const sent = sentSince(0);
    expect(new Set(sent.map((request) => request.method))).toEqual(new Set(['POST', 'GET', 'PUT']));
    for (const request of sent) expect(docusignContractProblems(request), `${request.method} ${request.path}`).toEqual([]);
  });

  it('the contract check catches a request DocuSign would not accept', () => {
    const envelopes = `/restapi/v2.1/accounts/${emulator.accountId}/envelopes`;
    const request = { query: {}, authorization: undefined };
    expect(docusignContractProblems({ ...request, method: 'POST', path: envelopes, body: { recipients: { signers: [{ email: 'a@b.c', routingOrder: 1 }] } } })).not.toEqual([]);
    expect(docusignContractProblems({ ...request, method: 'POST', path: `${envelopes}/abc/void`, body: {} })).not.toEqual([]);
    expect(docusignContractProblems({ ...request, method: 'PUT', path: `${envelopes}/abc`, query: { resend: 'true' }, body: {} })).not.toEqual([]);
    expect(docusignContractProblems({ ...request, method: 'GET', path: `/v2.1/accounts/x/envelopes/abc`, body: undefined })).not.toEqual([]);
  });
});
