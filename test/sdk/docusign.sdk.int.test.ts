import { createHmac, randomUUID, X509Certificate } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import tls from 'node:tls';
import docusign from 'docusign-esign';
import { exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDocuSignEmulator, type DocuSignEmulator } from '../../emulators/docusign/docusign-emulator.js';
import { connectMessageProblems, docusignResponseProblems } from '../helpers/docusign-contract.js';

const INTEGRATION_KEY = randomUUID();
const USER_ID = randomUUID();
const HMAC_KEY = 'connect-hmac-key-sdk';
const SCOPES = ['signature', 'impersonation'];
const PDF = Buffer.from('%PDF-1.4\n% ata with /sig1/ /date1/ and /sig2/ anchors\n%%EOF\n');

// @types/docusign-esign declares the models as interfaces; at run time they are the SDK's classes,
// whose constructFromObject is how the SDK reads every answer.
type Model<T> = { constructFromObject(data: unknown): T };
const models = docusign as unknown as { Envelope: Model<docusign.Envelope>; ApiClient: { OAuth: { OAuthToken: Model<Record<string, unknown>> } } };

/** What the SDK's axios request rejects with when DocuSign answers an error. */
interface SdkError {
  response: { status: number; headers: Record<string, string>; data: unknown };
}

let emulator: DocuSignEmulator;
let privateKeyPem: string;
let defaultCertificates: string[];
let connect: Awaited<ReturnType<typeof startConnectListener>>;
let checked = 0;

/** A Connect listener: keeps each message's raw bytes and headers. */
async function startConnectListener() {
  const messages: { headers: http.IncomingHttpHeaders; rawBody: Buffer }[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      messages.push({ headers: request.headers, rawBody: Buffer.concat(chunks) });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/connect`,
    messagesOf: (envelopeId: string) => messages.filter((message) => message.rawBody.toString('utf8').includes(envelopeId)),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  const keys = await generateKeyPair('RS256', { extractable: true });
  privateKeyPem = await exportPKCS8(keys.privateKey);
  emulator = await startDocuSignEmulator({ integrationKey: INTEGRATION_KEY, userId: USER_ID, publicKeyPem: await exportSPKI(keys.publicKey), hmacKeys: [HMAC_KEY] });
  connect = await startConnectListener();
  // The SDK reaches the OAuth host on https only and takes no CA, agent or TLS option (ApiClient
  // has basePath, oAuthBasePath, proxy and headers): the emulator's certificate is trusted the
  // way NODE_EXTRA_CA_CERTS would, for this test's thread, and the defaults come back after.
  defaultCertificates = tls.getCACertificates('default');
  tls.setDefaultCACertificates([...defaultCertificates, emulator.certificatePem]);
});
afterEach(() => {
  // Every JSON answer of the REST API, as DocuSign's swagger declares it for its operation and status.
  const exchanges = emulator.received.slice(checked);
  checked = emulator.received.length;
  for (const exchange of exchanges.filter((candidate) => candidate.path.startsWith('/restapi/') && candidate.answer?.body !== undefined)) {
    expect(docusignResponseProblems(exchange), `${exchange.method} ${exchange.path}`).toEqual([]);
  }
  emulator.reset();
  emulator.setConsent(true);
});
afterAll(async () => {
  tls.setDefaultCACertificates(defaultCertificates);
  await emulator.stop();
  await connect.stop();
});

/** Paths of the fields the emulator sent that the SDK's model lost (it keeps only those its model knows, OAuth's in camelCase). */
function droppedFields(sent: unknown, kept: unknown, path = ''): string[] {
  if (Array.isArray(sent)) return sent.flatMap((item, index) => droppedFields(item, (kept as unknown[] | undefined)?.[index], `${path}[${index}]`));
  if (typeof sent !== 'object' || sent === null) return [];
  return Object.entries(sent).flatMap(([key, value]) => {
    const keptValue = (kept as Record<string, unknown> | undefined)?.[key.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase())];
    return keptValue === undefined ? [`${path}.${key}`] : droppedFields(value, keptValue, `${path}.${key}`);
  });
}

/** Awaits an SDK call and checks its model kept every field of the emulator's JSON answer. */
async function keptWhole<T>(call: Promise<T>): Promise<T> {
  const result = await call;
  const answer = emulator.received.at(-1)!.answer;
  expect(answer?.body, 'a JSON answer').toBeDefined();
  expect(droppedFields(answer!.body, result)).toEqual([]);
  return result;
}

/** How the SDK fails: its axios error carries DocuSign's status and body (a stream where a PDF was asked for). */
async function sdkFailure(call: Promise<unknown>): Promise<{ status: number; headers: Record<string, string>; body: unknown }> {
  const error = (await call.then(
    () => expect.fail('the SDK call succeeded'),
    (caught: unknown) => caught,
  )) as SdkError;
  const { status, headers, data } = error.response;
  if (typeof (data as Readable | undefined)?.pipe !== 'function') return { status, headers, body: data };
  const chunks: Buffer[] = [];
  for await (const chunk of data as Readable) chunks.push(Buffer.from(chunk as Buffer));
  return { status, headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
}

/** DocuSign's JWT quickstart, step by step: token, userinfo, the account's base URI. */
async function signIn() {
  const apiClient = new docusign.ApiClient();
  apiClient.setOAuthBasePath(emulator.sdk.oAuthBasePath);
  const token = await apiClient.requestJWTUserToken(INTEGRATION_KEY, USER_ID, SCOPES, Buffer.from(privateKeyPem), 3600);
  const accessToken = (token.body as { access_token: string }).access_token;
  const userInfo = await keptWhole(apiClient.getUserInfo(accessToken) as Promise<{ accounts: { accountId: string; isDefault: string; baseUri: string }[] }>);
  const account = userInfo.accounts.find((candidate) => candidate.isDefault === 'true')!;
  apiClient.setBasePath(`${account.baseUri}/restapi`);
  apiClient.addDefaultHeader('Authorization', `Bearer ${accessToken}`);
  return { apiClient, accountId: account.accountId, envelopes: new docusign.EnvelopesApi(apiClient), token, userInfo };
}

function envelopeDefinition(reference: string, overrides: Partial<docusign.EnvelopeDefinition> = {}): docusign.EnvelopeDefinition {
  return {
    emailSubject: 'Ata da reunião — assinatura',
    emailBlurb: 'Por favor, assine a ata.',
    documents: [{ documentId: '7', name: 'ata.pdf', fileExtension: 'pdf', documentBase64: PDF.toString('base64') }],
    recipients: {
      signers: [
        // Numbers where the SDK's types say strings: DocuSign takes both, and so do JavaScript callers.
        {
          email: 'maria@example.com',
          name: 'Maria Souza',
          recipientId: 1 as unknown as string,
          routingOrder: 1 as unknown as string,
          tabs: {
            signHereTabs: [{ anchorString: '/sig1/', anchorUnits: 'pixels', anchorXOffset: '0', anchorYOffset: '-10' }],
            dateSignedTabs: [{ anchorString: '/date1/', anchorUnits: 'pixels', anchorXOffset: '0', anchorYOffset: '0' }],
          },
        },
        { email: 'joao@example.com', name: 'João Pereira', recipientId: '2', routingOrder: '2', tabs: { signHereTabs: [{ anchorString: '/sig2/', anchorIgnoreIfNotPresent: 'false' }] } },
      ],
    },
    customFields: {
      textCustomFields: [{ name: 'reference', value: reference, show: 'false', required: 'false' }],
      listCustomFields: [{ name: 'board', value: 'Conselho', listItems: ['Conselho', 'Diretoria'], show: 'true', required: 'true' }],
    },
    // `events` (JSON SIM's subscription) is in SDK 10's EventNotification model, not yet in @types/docusign-esign 5.
    eventNotification: {
      url: connect.url,
      includeHMAC: 'true',
      requireAcknowledgment: 'true',
      eventData: { version: 'restv2.1', format: 'json', includeData: ['recipients', 'custom_fields', 'tabs'] },
      events: ['envelope-sent', 'envelope-delivered', 'envelope-completed', 'envelope-voided', 'envelope-resent', 'recipient-sent', 'recipient-completed'],
    } as docusign.EventNotification,
    status: 'sent',
    ...overrides,
  };
}

/** DocuSign's own SDK (docusign-esign) against the emulator: it must not tell the difference. */
describe('DocuSign emulator driven by DocuSign’s SDK (docusign-esign)', () => {
  it('gets a token with the JWT grant and reads userinfo on https, the emulator’s certificate naming 127.0.0.1', async () => {
    const { token, userInfo, accountId } = await signIn();
    expect(token.body).toEqual({ access_token: expect.stringMatching(/^emulated-docusign-/), token_type: 'Bearer', expires_in: 3600 });
    expect(droppedFields(token.body, models.ApiClient.OAuth.OAuthToken.constructFromObject(token.body))).toEqual([]);
    expect(userInfo).toMatchObject({ sub: USER_ID, name: 'Emulated Sender', givenName: 'Emulated', familyName: 'Sender', email: expect.stringContaining('@'), created: expect.any(String) });
    expect(userInfo.accounts).toEqual([expect.objectContaining({ accountId: emulator.accountId, isDefault: 'true', accountName: 'Emulated Account', baseUri: new URL(emulator.sdk.basePath).origin })]);
    expect(accountId).toBe(emulator.accountId);
    expect(new X509Certificate(emulator.certificatePem).checkIP('127.0.0.1')).toBe('127.0.0.1');

    const assertion = emulator.received.findLast((request) => request.path === '/oauth/token')!.body as { assertion: string };
    const claims = JSON.parse(Buffer.from(assertion.assertion.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: INTEGRATION_KEY, sub: USER_ID, aud: emulator.sdk.oAuthBasePath, scope: 'signature impersonation' });
  });

  it('refuses a key it does not know and a user without consent as DocuSign’s OAuth does; the SDK’s consent URL grants it', async () => {
    const apiClient = new docusign.ApiClient();
    apiClient.setOAuthBasePath(emulator.sdk.oAuthBasePath);
    const stranger = await exportPKCS8((await generateKeyPair('RS256', { extractable: true })).privateKey);
    expect(await sdkFailure(apiClient.requestJWTUserToken(INTEGRATION_KEY, USER_ID, SCOPES, Buffer.from(stranger), 3600))).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'no_valid_keys_or_signatures' },
    });

    emulator.setConsent(false);
    expect(await sdkFailure(apiClient.requestJWTUserToken(INTEGRATION_KEY, USER_ID, SCOPES, Buffer.from(privateKeyPem), 3600))).toMatchObject({ status: 400, body: { error: 'consent_required' } });
    const consentUrl = apiClient.getJWTUri(INTEGRATION_KEY, 'http://127.0.0.1:9/callback', emulator.sdk.oAuthBasePath);
    expect(consentUrl.startsWith(`https://${emulator.sdk.oAuthBasePath}/oauth/auth?response_type=code&`)).toBe(true);
    const consent = await fetch(consentUrl, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    expect(consent.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:9\/callback\?code=/);
    expect((await apiClient.requestJWTUserToken(INTEGRATION_KEY, USER_ID, SCOPES, Buffer.from(privateKeyPem), 3600)).body).toHaveProperty('access_token');
  });

  it('creates an envelope with a document, numeric and string recipientIds, anchor tabs, text and list custom fields, and reads it back with include', async () => {
    const { envelopes, accountId } = await signIn();
    const reference = randomUUID();
    const summary = await keptWhole(envelopes.createEnvelope(accountId, { envelopeDefinition: envelopeDefinition(reference) }));
    expect(summary).toEqual({ envelopeId: expect.any(String), uri: `/envelopes/${summary.envelopeId}`, statusDateTime: expect.any(String), status: 'sent' });
    const envelopeId = summary.envelopeId!;

    const plain = await keptWhole(envelopes.getEnvelope(accountId, envelopeId));
    expect(plain).toMatchObject({
      envelopeId,
      status: 'sent',
      emailSubject: 'Ata da reunião — assinatura',
      emailBlurb: 'Por favor, assine a ata.',
      createdDateTime: summary.statusDateTime,
      sentDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/),
      documentsUri: `/envelopes/${envelopeId}/documents`,
      customFieldsUri: `/envelopes/${envelopeId}/custom_fields`,
      sender: { userId: USER_ID, accountId, userName: 'Emulated Sender', email: expect.stringContaining('@') },
      purgeState: 'unpurged',
    });
    expect(plain.customFields).toBeUndefined();
    expect(plain.recipients).toBeUndefined();

    const full = await keptWhole(envelopes.getEnvelope(accountId, envelopeId, { include: 'recipients,tabs,custom_fields,documents' }));
    expect(full.customFields).toEqual({
      textCustomFields: [{ fieldId: expect.stringMatching(/^\d+$/), name: 'reference', value: reference, show: 'false', required: 'false' }],
      listCustomFields: [{ fieldId: expect.stringMatching(/^\d+$/), name: 'board', value: 'Conselho', listItems: ['Conselho', 'Diretoria'], show: 'true', required: 'true' }],
    });
    const [maria, joao] = full.recipients!.signers!;
    expect(maria).toMatchObject({ recipientId: '1', recipientIdGuid: expect.any(String), routingOrder: '1', status: 'sent', sentDateTime: expect.any(String), recipientType: 'signer' });
    expect(joao).toMatchObject({ recipientId: '2', routingOrder: '2', status: 'created' });
    expect(maria!.tabs!.signHereTabs).toEqual([expect.objectContaining({ anchorString: '/sig1/', anchorYOffset: '-10', recipientId: '1', documentId: '7', tabId: expect.any(String) })]);
    expect(maria!.tabs!.dateSignedTabs).toEqual([expect.objectContaining({ anchorString: '/date1/', recipientId: '1' })]);
    expect(full.envelopeDocuments!.map((document) => [document.documentId, document.name, document.type])).toEqual([
      ['7', 'ata.pdf', 'content'],
      ['certificate', 'Summary', 'summary'],
    ]);
    expect(emulator.envelopes.get(envelopeId)!.signers.map((signer) => signer.anchorStrings)).toEqual([['/sig1/'], ['/sig2/']]);
  });

  it('lists status changes by from_date, status and custom field, as the SDK sends them', async () => {
    const { envelopes, accountId } = await signIn();
    const since = new Date().toISOString();
    const [first, second] = ['ref-a', 'ref-b'].map((prefix) => `${prefix}-${randomUUID()}`);
    const created = [];
    for (const reference of [first!, second!]) created.push((await envelopes.createEnvelope(accountId, { envelopeDefinition: envelopeDefinition(reference) })).envelopeId!);
    await envelopes.update(accountId, created[1]!, { envelope: { status: 'voided', voidedReason: 'Substituída' } });

    const byField = await keptWhole(envelopes.listStatusChanges(accountId, { fromDate: since, customField: `reference=${first}`, include: 'custom_fields' }));
    expect(byField).toMatchObject({ resultSetSize: '1', totalSetSize: '1', startPosition: '0', endPosition: '0' });
    expect(byField.envelopes!.map((envelope) => [envelope.envelopeId, envelope.customFields!.textCustomFields![0]!.value])).toEqual([[created[0], first]]);

    const voided = await keptWhole(envelopes.listStatusChanges(accountId, { fromDate: since, status: 'voided' }));
    expect(voided.envelopes!.map((envelope) => [envelope.envelopeId, envelope.status, envelope.voidedReason])).toEqual([[created[1], 'voided', 'Substituída']]);
    const active = await envelopes.listStatusChanges(accountId, { fromDate: since, status: 'sent,delivered', customField: `reference=${second}` });
    expect(active).toMatchObject({ resultSetSize: '0', totalSetSize: '0' });
    const byIds = await keptWhole(envelopes.listStatusChanges(accountId, { envelopeIds: created.join(','), order: 'desc', count: '1' }));
    expect(byIds).toMatchObject({ resultSetSize: '1', totalSetSize: '2' });
    expect(byIds.envelopes!.map((envelope) => envelope.envelopeId)).toEqual([created[1]]);

    expect(await sdkFailure(envelopes.listStatusChanges(accountId, { status: 'sent' }))).toMatchObject({
      status: 400,
      body: { errorCode: 'INVALID_REQUEST_PARAMETER', message: expect.stringContaining("'from_date' must be set") },
    });
  });

  it('voids with a reason and resends through update and updateRecipients, refusing both once the envelope is over', async () => {
    const { envelopes, accountId } = await signIn();
    const { envelopeId } = await envelopes.createEnvelope(accountId, { envelopeDefinition: envelopeDefinition(randomUUID()) });
    expect(await keptWhole(envelopes.update(accountId, envelopeId!, { resendEnvelope: 'true' }))).toEqual({ envelopeId });
    const resent = await keptWhole(envelopes.updateRecipients(accountId, envelopeId!, { resendEnvelope: 'true' }));
    expect(resent.recipientUpdateResults!.map((result) => result.recipientId)).toEqual(['1', '2']);
    expect(emulator.envelopes.get(envelopeId!)!.resendCount).toBe(2);

    expect(await sdkFailure(envelopes.update(accountId, envelopeId!, { envelope: { status: 'voided' } }))).toMatchObject({ status: 400, body: { errorCode: 'ENVELOPE_VOID_REASON_REQUIRED' } });
    expect(await keptWhole(envelopes.update(accountId, envelopeId!, { envelope: { status: 'voided', voidedReason: 'Ata substituída' } }))).toEqual({ envelopeId });
    expect(await envelopes.getEnvelope(accountId, envelopeId!)).toMatchObject({ status: 'voided', voidedReason: 'Ata substituída', voidedDateTime: expect.any(String) });
    expect(await sdkFailure(envelopes.update(accountId, envelopeId!, { envelope: { status: 'voided', voidedReason: 'again' } }))).toMatchObject({
      status: 400,
      body: { errorCode: 'ENVELOPE_CANNOT_VOID_INVALID_STATE', message: expect.any(String) },
    });
    expect(await sdkFailure(envelopes.update(accountId, envelopeId!, { resendEnvelope: 'true' }))).toMatchObject({ status: 400, body: { errorCode: 'ENVELOPE_INVALID_STATUS' } });
  });

  it('lists recipients as they sign, and serves the document, the combined PDF and the certificate', async () => {
    const { envelopes, accountId } = await signIn();
    const { envelopeId } = await envelopes.createEnvelope(accountId, { envelopeDefinition: envelopeDefinition(randomUUID()) });
    await emulator.sign(envelopeId!, 'maria@example.com');
    const recipients = await keptWhole(envelopes.listRecipients(accountId, envelopeId!, { includeTabs: 'true' }));
    expect(recipients).toMatchObject({ recipientCount: '2', currentRoutingOrder: '2', carbonCopies: [] });
    expect(recipients.signers!.map((signer) => [signer.recipientId, signer.status, signer.completedCount])).toEqual([
      ['1', 'completed', '1'],
      ['2', 'sent', '0'],
    ]);
    expect(recipients.signers![0]).toMatchObject({ signedDateTime: expect.any(String), deliveredDateTime: expect.any(String), deliveryMethod: 'email', tabs: { signHereTabs: [expect.any(Object)] } });
    await emulator.sign(envelopeId!, 'joao@example.com');

    const documents = await keptWhole(envelopes.listDocuments(accountId, envelopeId!));
    expect(documents.envelopeId).toBe(envelopeId);
    expect(documents.envelopeDocuments![0]).toMatchObject({ documentId: '7', name: 'ata.pdf', order: '1', uri: `/envelopes/${envelopeId}/documents/7`, availableDocumentTypes: [{ type: 'electronic', isDefault: 'true' }] });
    expect(await keptWhole(envelopes.listCustomFields(accountId, envelopeId!))).toMatchObject({ textCustomFields: [{ name: 'reference' }], listCustomFields: [{ name: 'board' }] });

    const document = (await envelopes.getDocument(accountId, envelopeId!, '7', {})) as unknown as Buffer;
    expect(Buffer.compare(document, PDF)).toBe(0);
    const combined = (await envelopes.getDocument(accountId, envelopeId!, 'combined', {})) as unknown as Buffer;
    expect(combined.subarray(0, PDF.length).equals(PDF)).toBe(true);
    expect(combined.toString('latin1')).toContain('signed by: Maria Souza');
    const certificate = (await envelopes.getDocument(accountId, envelopeId!, 'certificate', {})) as unknown as Buffer;
    expect(certificate.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await sdkFailure(envelopes.getDocument(accountId, envelopeId!, '1', {}))).toMatchObject({ status: 400, body: { errorCode: 'DOCUMENT_DOES_NOT_EXIST' } });
    expect(await envelopes.getEnvelope(accountId, envelopeId!)).toMatchObject({ status: 'completed', completedDateTime: expect.any(String), deliveredDateTime: expect.any(String) });
  });

  it('fails as DocuSign does: an unknown envelope, a bad or expired token, another account, a bad definition, the hourly limit', async () => {
    const { apiClient, envelopes, accountId } = await signIn();
    expect(await sdkFailure(envelopes.getEnvelope(accountId, randomUUID()))).toMatchObject({
      status: 400,
      body: { errorCode: 'ENVELOPE_DOES_NOT_EXIST', message: 'The envelope specified either does not exist or you have no rights to it.' },
    });
    expect(await sdkFailure(envelopes.getEnvelope(randomUUID(), randomUUID()))).toMatchObject({ status: 400, body: { errorCode: 'USER_LACKS_MEMBERSHIP' } });
    const noDocuments = envelopeDefinition(randomUUID(), { documents: [] });
    expect(await sdkFailure(envelopes.createEnvelope(accountId, { envelopeDefinition: noDocuments }))).toMatchObject({ status: 400, body: { errorCode: 'INVALID_REQUEST_BODY' } });
    const badRecipient = envelopeDefinition(randomUUID(), { recipients: { signers: [{ email: 'ana@example.com', name: 'Ana', recipientId: 'first' }] } });
    expect(await sdkFailure(envelopes.createEnvelope(accountId, { envelopeDefinition: badRecipient }))).toMatchObject({ status: 400, body: { errorCode: 'INVALID_REQUEST_BODY' } });
    const twice = envelopeDefinition(randomUUID(), { recipients: { signers: ['1', 1].map((recipientId) => ({ email: 'ana@example.com', name: 'Ana', recipientId: recipientId as string })) } });
    expect(await sdkFailure(envelopes.createEnvelope(accountId, { envelopeDefinition: twice }))).toMatchObject({ status: 400, body: { errorCode: 'INVALID_REQUEST_BODY' } });

    emulator.failNext({ status: 429 });
    const limited = await sdkFailure(envelopes.getEnvelope(accountId, randomUUID()));
    expect(limited).toMatchObject({ status: 429, body: { errorCode: 'HOURLY_APIINVOCATION_LIMIT_EXCEEDED' }, headers: { 'x-ratelimit-limit': '1000', 'x-ratelimit-reset': expect.stringMatching(/^\d+$/) } });

    const stranger = new docusign.ApiClient();
    stranger.setBasePath(emulator.sdk.basePath);
    stranger.addDefaultHeader('Authorization', 'Bearer not-a-token');
    expect(await sdkFailure(new docusign.EnvelopesApi(stranger).getEnvelope(accountId, randomUUID()))).toMatchObject({ status: 401, body: { errorCode: 'USER_AUTHENTICATION_FAILED', message: expect.any(String) } });
    emulator.expireAccessTokens();
    expect(await sdkFailure(new docusign.EnvelopesApi(apiClient).listStatusChanges(accountId, { fromDate: new Date().toISOString() }))).toMatchObject({ status: 401, body: { errorCode: 'AUTHORIZATION_INVALID_TOKEN' } });
  });

  it('sends Connect messages that DocuSign’s JSON SIM model describes, HMAC-signed, read whole by the SDK’s Envelope model', async () => {
    const { envelopes, accountId } = await signIn();
    const reference = randomUUID();
    const { envelopeId } = await envelopes.createEnvelope(accountId, { envelopeDefinition: envelopeDefinition(reference) });
    await envelopes.update(accountId, envelopeId!, { resendEnvelope: 'true' });
    await emulator.sign(envelopeId!, 'maria@example.com');
    await emulator.sign(envelopeId!, 'joao@example.com');

    const messages = connect.messagesOf(envelopeId!);
    const events = messages.map(({ rawBody }) => JSON.parse(rawBody.toString('utf8')) as { event: string; data: { recipientId?: string; envelopeSummary: unknown } });
    expect(events.map((message) => `${message.event}${message.data.recipientId ? `:${message.data.recipientId}` : ''}`)).toEqual([
      'envelope-sent',
      'recipient-sent:1',
      'envelope-resent',
      'recipient-completed:1',
      'recipient-sent:2',
      'envelope-delivered',
      'recipient-completed:2',
      'envelope-completed',
    ]);
    for (const [index, { headers, rawBody }] of messages.entries()) {
      expect(headers['x-docusign-signature-1']).toBe(createHmac('sha256', HMAC_KEY).update(rawBody).digest('base64'));
      expect(connectMessageProblems(events[index]), events[index]!.event).toEqual([]);
      const summary = events[index]!.data.envelopeSummary;
      expect(droppedFields(summary, models.Envelope.constructFromObject(summary)), events[index]!.event).toEqual([]);
    }
    const completed = models.Envelope.constructFromObject(events.at(-1)!.data.envelopeSummary);
    expect(completed).toMatchObject({ envelopeId, status: 'completed', completedDateTime: expect.any(String), sender: { userId: USER_ID }, customFields: { textCustomFields: [{ name: 'reference', value: reference }] } });
    expect(completed.recipients!.signers!.map((signer) => [signer.recipientId, signer.status, signer.signedDateTime !== undefined])).toEqual([
      ['1', 'completed', true],
      ['2', 'completed', true],
    ]);
    expect(completed.recipients!.signers![0]!.tabs!.signHereTabs![0]).toMatchObject({ anchorString: '/sig1/', tabId: expect.any(String) });
  });

  it('the checks catch what DocuSign would not send', () => {
    const envelopePath = `/restapi/v2.1/accounts/${emulator.accountId}/envelopes/${randomUUID()}`;
    const exchange = { method: 'GET', path: envelopePath, query: {}, body: undefined, authorization: undefined };
    expect(docusignResponseProblems({ ...exchange, answer: { status: 200, body: { envelopeId: 'x', customFields: { reference: 'flat' } } } })).not.toEqual([]);
    expect(docusignResponseProblems({ ...exchange, answer: { status: 200, body: { envelopeId: 'x', nextUri: '' } } })).not.toEqual([]);
    expect(docusignResponseProblems({ ...exchange, answer: { status: 200, body: { envelopeId: 'x', status: 'sent' } } })).toEqual([]);
    expect(connectMessageProblems({ event: 'envelope-sent', retryCount: '0', data: { envelopeId: 'x' } })).not.toEqual([]);
    expect(connectMessageProblems({ event: 'envelope-sent', data: { envelopeSummary: { recipients: { signers: [{ recipientType: 'signer' }] } } } })).not.toEqual([]);
    expect(droppedFields({ a: { b: 1, c: [{ d: 2 }] } }, { a: { b: 1, c: [{}] } })).toEqual(['.a.c[0].d']);
  });
});
