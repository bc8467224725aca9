import { createHmac, createPublicKey, randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { errors as joseErrors, jwtVerify } from 'jose';
import PDFDocument from 'pdfkit';
import { z } from 'zod';
import { installFailureSwitches, type PlannedFailure } from '../shared/failures.js';

/**
 * A local DocuSign: the JWT grant, userinfo, and the eSignature REST v2.1 envelope endpoints we
 * use (paths, status codes, bodies and error codes as DocuSign documents), state in memory.
 * Signers act through controls (`deliver`, `sign`, `decline`) in routing order; every change is
 * reported by Connect (JSON SIM, HMAC-signed) to the envelope's eventNotification URL. It can
 * fail on demand. Not DocuSign: say so.
 */

type SignerStatus = 'created' | 'sent' | 'delivered' | 'completed' | 'declined';
type EnvelopeStatus = 'sent' | 'delivered' | 'completed' | 'declined' | 'voided';

export interface EmulatedSigner {
  recipientId: string;
  email: string;
  name: string;
  routingOrder: number;
  status: SignerStatus;
  anchorStrings: string[];
  sentDateTime?: string;
  deliveredDateTime?: string;
  signedDateTime?: string;
  declinedDateTime?: string;
  declinedReason?: string;
}

export interface EmulatedEnvelope {
  envelopeId: string;
  status: EnvelopeStatus;
  emailSubject: string;
  emailBlurb?: string;
  documentName: string;
  pdf: Buffer;
  createdDateTime: string;
  sentDateTime: string;
  statusChangedDateTime: string;
  deliveredDateTime?: string;
  completedDateTime?: string;
  declinedDateTime?: string;
  voidedDateTime?: string;
  voidedReason?: string;
  signers: EmulatedSigner[];
  /** Text custom fields by name. */
  customFields: Record<string, string>;
  notification?: { url: string; events: Set<string>; includeHMAC: boolean; includeRecipients: boolean };
  resendCount: number;
}

export interface DocuSignReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
}

export interface ConnectDelivery {
  url: string;
  event: string;
  envelopeId: string;
  body: string;
  headers: Record<string, string>;
  /** The listener's answer; undefined when it could not be reached (see `error`) or the message was dropped. */
  status?: number;
  error?: string;
  dropped?: boolean;
}

const TOKEN_TTL_SEC = 3600;
const JWT_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const RATE_LIMIT_PER_HOUR = 1000;
const CONNECT_TIMEOUT_MS = 10_000;
const CLAIM_PROBLEMS: Record<string, string> = { iss: 'issuer_not_found', sub: 'user_not_found' };
const DEFAULT_ERROR_CODES: Record<number, string> = {
  400: 'INVALID_REQUEST_BODY',
  401: 'USER_AUTHENTICATION_FAILED',
  404: 'ENVELOPE_DOES_NOT_EXIST',
  429: 'HOURLY_APIINVOCATION_LIMIT_EXCEEDED',
};

/** DocuSign writes times with seven fractional digits: 2026-11-28T18:42:05.1130000Z. */
const now = () => new Date().toISOString().replace(/Z$/, '0000Z');
const isActive = (envelope: EmulatedEnvelope) => envelope.status === 'sent' || envelope.status === 'delivered';

function docusignError(reply: FastifyReply, status: number, errorCode: string, message: string) {
  return reply.status(status).send({ errorCode, message });
}

/** The event names an eventNotification subscribes to: JSON SIM's `events`, or the legacy status lists. */
function subscribedEvents(notification: Record<string, unknown>): Set<string> {
  const legacy = (list: unknown, prefix: string, key: string) =>
    Array.isArray(list) ? list.map((item: Record<string, unknown>) => `${prefix}-${String(item[key]).toLowerCase()}`) : [];
  return new Set([
    ...(Array.isArray(notification.events) ? notification.events.map(String) : []),
    ...legacy(notification.envelopeEvents, 'envelope', 'envelopeEventStatusCode'),
    ...legacy(notification.recipientEvents, 'recipient', 'recipientEventStatusCode'),
  ]);
}

/** Reads an envelopeDefinition, or says what DocuSign would answer 400 with. */
function envelopeOf(body: Record<string, unknown>): EmulatedEnvelope | { errorCode: string; message: string } {
  const documents = Array.isArray(body.documents) ? (body.documents as { documentBase64?: unknown; name?: unknown }[]) : [];
  const signers = (body.recipients as { signers?: Record<string, unknown>[] } | undefined)?.signers ?? [];
  if (body.status !== 'sent') return { errorCode: 'INVALID_REQUEST_PARAMETER', message: "The emulator only creates envelopes with status 'sent'." };
  if (typeof body.emailSubject !== 'string' || !body.emailSubject) return { errorCode: 'INVALID_REQUEST_BODY', message: 'The email subject is required.' };
  if (documents.length !== 1) return { errorCode: 'INVALID_REQUEST_BODY', message: 'The emulator takes exactly one document.' };
  const { documentBase64, name } = documents[0]!;
  const pdf = Buffer.from(typeof documentBase64 === 'string' ? documentBase64 : '', 'base64');
  if (!pdf.subarray(0, 5).equals(Buffer.from('%PDF-'))) return { errorCode: 'PDF_VALIDATION_FAILED', message: 'The document is not a PDF.' };
  if (signers.length === 0) return { errorCode: 'ENVELOPE_HAS_NO_RECIPIENTS', message: 'The envelope has no signers.' };
  for (const signer of signers) {
    if (typeof signer.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(signer.email)) return { errorCode: 'INVALID_EMAIL_ADDRESS_FOR_RECIPIENT', message: 'A signer has no valid email address.' };
    if (typeof signer.name !== 'string' || typeof signer.recipientId !== 'string') return { errorCode: 'INVALID_REQUEST_BODY', message: 'A signer lacks name or recipientId.' };
  }
  const created = now();
  const notification = body.eventNotification as Record<string, unknown> | undefined;
  const eventData = notification?.eventData as { includeData?: unknown[] } | undefined;
  const textCustomFields = (body.customFields as { textCustomFields?: { name?: unknown; value?: unknown }[] } | undefined)?.textCustomFields ?? [];
  return {
    envelopeId: randomUUID(),
    customFields: Object.fromEntries(textCustomFields.map((field) => [String(field.name), String(field.value)])),
    status: 'sent',
    emailSubject: body.emailSubject,
    ...(typeof body.emailBlurb === 'string' ? { emailBlurb: body.emailBlurb } : {}),
    documentName: typeof name === 'string' ? name : 'document.pdf',
    pdf,
    createdDateTime: created,
    sentDateTime: created,
    statusChangedDateTime: created,
    signers: signers.map((signer) => ({
      recipientId: String(signer.recipientId),
      email: String(signer.email),
      name: String(signer.name),
      routingOrder: Number(signer.routingOrder ?? 1),
      status: 'created',
      anchorStrings: ((signer.tabs as { signHereTabs?: { anchorString?: string }[] } | undefined)?.signHereTabs ?? []).flatMap((tab) => tab.anchorString ?? []),
    })),
    ...(typeof notification?.url === 'string'
      ? {
          notification: {
            url: notification.url,
            events: subscribedEvents(notification),
            includeHMAC: String(notification.includeHMAC) === 'true',
            includeRecipients: eventData?.includeData?.includes('recipients') ?? false,
          },
        }
      : {}),
    resendCount: 0,
  };
}

const signerView = ({ anchorStrings: _anchors, routingOrder, ...signer }: EmulatedSigner) => ({ ...signer, routingOrder: String(routingOrder), recipientType: 'signer' });

function envelopeView(envelope: EmulatedEnvelope) {
  const { pdf: _pdf, signers: _signers, notification: _notification, resendCount: _resends, documentName: _name, ...fields } = envelope;
  const uri = `/envelopes/${envelope.envelopeId}`;
  return { ...fields, envelopeUri: uri, recipientsUri: `${uri}/recipients`, documentsUri: `${uri}/documents`, documentsCombinedUri: `${uri}/documents/combined`, certificateUri: `${uri}/documents/certificate`, lastModifiedDateTime: envelope.statusChangedDateTime };
}

function recipientsView(envelope: EmulatedEnvelope) {
  const pending = envelope.signers.filter((signer) => signer.status !== 'completed');
  return {
    signers: envelope.signers.map(signerView),
    ...Object.fromEntries(['agents', 'editors', 'intermediaries', 'carbonCopies', 'certifiedDeliveries', 'inPersonSigners', 'seals', 'witnesses', 'notaries'].map((type) => [type, []])),
    recipientCount: String(envelope.signers.length),
    currentRoutingOrder: String(pending.length > 0 ? Math.min(...pending.map((signer) => signer.routingOrder)) : Math.max(...envelope.signers.map((signer) => signer.routingOrder))),
  };
}

function pdfOf(write: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50 });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  write(doc);
  doc.end();
  return done;
}

function certificatePdf(envelope: EmulatedEnvelope): Promise<Buffer> {
  return pdfOf((doc) => {
    doc.fontSize(16).text('Certificate of Completion');
    doc.fontSize(9).text('Issued by a local DocuSign emulator, not by DocuSign.').moveDown();
    doc.fontSize(11).text(`Envelope: ${envelope.envelopeId}`).text(`Subject: ${envelope.emailSubject}`).text(`Status: ${envelope.status}`).moveDown();
    for (const signer of envelope.signers) doc.text(`${signer.name} <${signer.email}>: ${signer.status} ${signer.signedDateTime ?? signer.declinedDateTime ?? ''}`);
  });
}

/** The uploaded PDF with a trailing comment naming who signed: still a valid PDF, and visibly derived from the upload. */
function combinedPdf(envelope: EmulatedEnvelope): Buffer {
  const signed = envelope.signers.filter((signer) => signer.signedDateTime).map((signer) => `${signer.name} <${signer.email}> at ${signer.signedDateTime}`);
  return Buffer.concat([envelope.pdf, Buffer.from(`\n% Emulated DocuSign envelope ${envelope.envelopeId}; signed by: ${signed.join(', ') || 'nobody yet'}\n`)]);
}

export async function startDocuSignEmulator(options: {
  integrationKey: string;
  userId: string;
  accountId?: string;
  /** The integration key's RSA public key: JWT assertions are checked with it. */
  publicKeyPem: string;
  /** Connect's HMAC keys, one `X-DocuSign-Signature-N` header each. */
  hmacKeys: string[];
  consentGiven?: boolean;
  port?: number;
  host?: string;
}) {
  const accountId = options.accountId ?? randomUUID();
  const publicKey = createPublicKey(options.publicKeyPem);
  const configurationId = randomInt(10_000_000, 99_999_999);
  const app = Fastify({ logger: false, bodyLimit: 35 * 1024 * 1024, forceCloseConnections: true });
  const envelopes = new Map<string, EmulatedEnvelope>();
  const accessTokens = new Map<string, number>(); // token → expiry (ms)
  const received: DocuSignReceivedRequest[] = [];
  const connectDeliveries: ConnectDelivery[] = [];
  let consentGiven = options.consentGiven ?? true;
  let connectQueue: Promise<void> = Promise.resolve();
  let dropsPlanned = 0;
  let createAnswersToLose = 0;
  let rateLimit = { resetAtSec: 0, remaining: RATE_LIMIT_PER_HOUR };
  let baseUrl = '';

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  // Before the failure switches, so an emulated 429 carries the headers as DocuSign's does.
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/restapi/')) return;
    const nowSec = Math.floor(Date.now() / 1000);
    if (nowSec >= rateLimit.resetAtSec) rateLimit = { resetAtSec: (Math.floor(nowSec / 3600) + 1) * 3600, remaining: RATE_LIMIT_PER_HOUR };
    rateLimit.remaining = Math.max(0, rateLimit.remaining - 1);
    void reply.headers({ 'x-ratelimit-limit': String(RATE_LIMIT_PER_HOUR), 'x-ratelimit-remaining': String(rateLimit.remaining), 'x-ratelimit-reset': String(rateLimit.resetAtSec) });
  });
  const failures = installFailureSwitches(app, { appliesTo: (url) => url.startsWith('/restapi/') || url.startsWith('/oauth/') });
  app.addHook('preHandler', async (request) => {
    const [path = '', search = ''] = request.url.split('?');
    if (path.startsWith('/restapi/') || path.startsWith('/oauth/')) {
      received.push({ method: request.method, path, query: Object.fromEntries(new URLSearchParams(search)), body: request.body, authorization: request.headers.authorization });
    }
  });

  async function assertionProblem(assertion: string | undefined): Promise<string | undefined> {
    if (!assertion) return 'invalid_request';
    try {
      const { payload } = await jwtVerify(assertion, publicKey, {
        algorithms: ['RS256'],
        issuer: options.integrationKey,
        subject: options.userId,
        audience: new URL(baseUrl).host,
        requiredClaims: ['iat', 'exp'],
      });
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
      return scopes.includes('signature') && scopes.includes('impersonation') ? undefined : 'invalid_scope';
    } catch (error) {
      if (error instanceof joseErrors.JWTClaimValidationFailed) return CLAIM_PROBLEMS[error.claim] ?? `invalid_${error.claim}`;
      return 'no_valid_keys_or_signatures';
    }
  }

  // https://developers.docusign.com/platform/auth/jwt/jwt-get-token/
  app.post('/oauth/token', async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, string>;
    if (form.grant_type !== JWT_GRANT_TYPE) return reply.status(400).send({ error: 'unsupported_grant_type' });
    const problem = await assertionProblem(form.assertion);
    if (problem) return reply.status(400).send({ error: 'invalid_grant', error_description: problem });
    if (!consentGiven) return reply.status(400).send({ error: 'consent_required' });
    const token = `emulated-docusign-${randomBytes(24).toString('base64url')}`;
    accessTokens.set(token, Date.now() + TOKEN_TTL_SEC * 1000);
    return { access_token: token, token_type: 'Bearer', expires_in: TOKEN_TTL_SEC };
  });

  // The consent page: consent is granted at once and the browser sent back, as after the user clicks Accept.
  app.get<{ Querystring: Record<string, string> }>('/oauth/auth', async (request, reply) => {
    const { client_id: clientId, redirect_uri: redirectUri } = request.query;
    if (clientId !== options.integrationKey || !redirectUri) return reply.status(400).send({ error: 'invalid_request' });
    consentGiven = true;
    const target = new URL(redirectUri);
    target.searchParams.set('code', randomBytes(12).toString('hex'));
    return reply.redirect(target.toString());
  });

  function tokenProblem(request: FastifyRequest): { errorCode: string; message: string } | undefined {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const expiresAt = token ? accessTokens.get(token) : undefined;
    if (!expiresAt) return { errorCode: 'USER_AUTHENTICATION_FAILED', message: 'One or both of Username and Password are invalid. Invalid access token' };
    if (expiresAt <= Date.now()) return { errorCode: 'AUTHORIZATION_INVALID_TOKEN', message: 'The access token provided is expired, revoked or malformed.' };
    return undefined;
  }

  // https://developers.docusign.com/platform/auth/reference/user-info/
  app.get('/oauth/userinfo', async (request, reply) => {
    const problem = tokenProblem(request);
    if (problem) return reply.status(401).send(problem);
    return {
      sub: options.userId,
      name: 'Emulated Sender',
      given_name: 'Emulated',
      family_name: 'Sender',
      created: '2024-01-01T00:00:00.000',
      email: 'sender@docusign-emulator.invalid',
      accounts: [{ account_id: accountId, is_default: true, account_name: 'Emulated Account', base_uri: baseUrl }],
    };
  });

  function emit(envelope: EmulatedEnvelope, event: string, signer?: EmulatedSigner) {
    const { notification } = envelope;
    if (!notification?.events.has(event)) return;
    const summary = envelopeView(envelope);
    const body = JSON.stringify({
      event,
      apiVersion: 'v2.1',
      uri: `/restapi/v2.1/accounts/${accountId}/envelopes/${envelope.envelopeId}`,
      retryCount: 0,
      configurationId,
      generatedDateTime: now(),
      data: {
        accountId,
        userId: options.userId,
        ...(signer ? { recipientId: signer.recipientId } : {}),
        envelopeId: envelope.envelopeId,
        envelopeSummary: { ...summary, ...(notification.includeRecipients ? { recipients: { signers: envelope.signers.map(signerView) } } : {}) },
      },
    });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-docusign-accountid': accountId };
    if (notification.includeHMAC && options.hmacKeys.length > 0) {
      headers['x-authorization-digest'] = 'HMACSHA256';
      options.hmacKeys.forEach((key, index) => (headers[`x-docusign-signature-${index + 1}`] = createHmac('sha256', key).update(body).digest('base64')));
    }
    const delivery: ConnectDelivery = { url: notification.url, event, envelopeId: envelope.envelopeId, body, headers };
    connectDeliveries.push(delivery);
    if (dropsPlanned > 0) {
      dropsPlanned -= 1;
      delivery.dropped = true;
      return;
    }
    connectQueue = connectQueue.then(() => deliver(delivery));
  }

  async function deliver(delivery: ConnectDelivery) {
    try {
      const response = await fetch(delivery.url, { method: 'POST', headers: delivery.headers, body: delivery.body, signal: AbortSignal.timeout(CONNECT_TIMEOUT_MS) });
      delivery.status = response.status;
      await response.arrayBuffer();
    } catch (error) {
      delivery.error = (error as Error).message;
    }
  }

  function changeStatus(envelope: EmulatedEnvelope, status: EnvelopeStatus, at: string) {
    envelope.status = status;
    envelope.statusChangedDateTime = at;
    emit(envelope, `envelope-${status}`);
  }

  function currentSigners(envelope: EmulatedEnvelope): EmulatedSigner[] {
    const pending = envelope.signers.filter((signer) => signer.status !== 'completed');
    const order = Math.min(...pending.map((signer) => signer.routingOrder));
    return pending.filter((signer) => signer.routingOrder === order);
  }

  function routeNext(envelope: EmulatedEnvelope) {
    for (const signer of currentSigners(envelope).filter((candidate) => candidate.status === 'created')) {
      signer.status = 'sent';
      signer.sentDateTime = now();
      emit(envelope, 'recipient-sent', signer);
    }
  }

  function signerInTurn(envelopeId: string, email: string): { envelope: EmulatedEnvelope; signer: EmulatedSigner } {
    const envelope = envelopes.get(envelopeId);
    if (!envelope) throw new Error(`no emulated envelope ${envelopeId}`);
    if (!isActive(envelope)) throw new Error(`envelope ${envelopeId} is ${envelope.status}`);
    const signer = currentSigners(envelope).find((candidate) => candidate.email === email);
    if (!signer) throw new Error(`${email} has no turn to sign envelope ${envelopeId}`);
    return { envelope, signer };
  }

  function deliverTo(envelope: EmulatedEnvelope, signer: EmulatedSigner) {
    if (signer.status !== 'sent') return;
    signer.status = 'delivered';
    signer.deliveredDateTime = now();
    emit(envelope, 'recipient-delivered', signer);
    // An envelope is delivered once every signer has viewed it.
    if (envelope.status === 'sent' && envelope.signers.every((candidate) => candidate.status === 'delivered' || candidate.status === 'completed')) {
      envelope.deliveredDateTime = signer.deliveredDateTime;
      changeStatus(envelope, 'delivered', signer.deliveredDateTime);
    }
  }

  function voidEnvelope(envelope: EmulatedEnvelope, reason: string) {
    envelope.voidedDateTime = now();
    envelope.voidedReason = reason;
    changeStatus(envelope, 'voided', envelope.voidedDateTime);
  }

  function resend(envelope: EmulatedEnvelope) {
    envelope.resendCount += 1;
    emit(envelope, 'envelope-resent');
    for (const signer of currentSigners(envelope)) emit(envelope, 'recipient-resent', signer);
  }

  await app.register(
    async (api) => {
      api.addHook('preHandler', async (request, reply) => {
        const problem = tokenProblem(request);
        if (problem) return reply.status(401).send(problem);
        if ((request.params as { accountId: string }).accountId !== accountId) {
          return docusignError(reply, 400, 'USER_LACKS_MEMBERSHIP', 'The UserID does not have a valid membership in this Account.');
        }
      });

      function findEnvelope(request: FastifyRequest<{ Params: { envelopeId: string } }>, reply: FastifyReply): EmulatedEnvelope | undefined {
        const envelope = envelopes.get(request.params.envelopeId);
        if (!envelope) void docusignError(reply, 404, 'ENVELOPE_DOES_NOT_EXIST', 'The envelope specified either does not exist or you have no rights to it.');
        return envelope;
      }

      // https://developers.docusign.com/docs/esign-rest-api/reference/envelopes/envelopes/create/
      api.post<{ Body: Record<string, unknown> }>('/envelopes', async (request, reply) => {
        const envelope = envelopeOf(request.body ?? {});
        if (!('envelopeId' in envelope)) return reply.status(400).send(envelope);
        envelopes.set(envelope.envelopeId, envelope);
        emit(envelope, 'envelope-sent');
        routeNext(envelope);
        if (createAnswersToLose > 0) {
          createAnswersToLose -= 1;
          return docusignError(reply, 503, 'UNSPECIFIED_ERROR', 'Emulated: the envelope was created but the answer is lost');
        }
        return reply.status(201).send({ envelopeId: envelope.envelopeId, uri: `/envelopes/${envelope.envelopeId}`, statusDateTime: envelope.createdDateTime, status: 'sent' });
      });

      // https://developers.docusign.com/docs/esign-rest-api/reference/envelopes/envelopes/liststatuschanges/ (from_date and custom_field only)
      api.get<{ Querystring: { from_date?: string; custom_field?: string } }>('/envelopes', async (request, reply) => {
        const from = Date.parse(request.query.from_date ?? '');
        if (Number.isNaN(from)) return docusignError(reply, 400, 'INVALID_REQUEST_PARAMETER', 'from_date is required.');
        const [name, value] = (request.query.custom_field ?? '').split('=');
        const found = [...envelopes.values()].filter(
          (envelope) => Date.parse(envelope.createdDateTime) >= from && (!name || envelope.customFields[name] === value),
        );
        return { resultSetSize: String(found.length), totalSetSize: String(found.length), envelopes: found.map(envelopeView) };
      });

      api.get<{ Params: { envelopeId: string } }>('/envelopes/:envelopeId', async (request, reply) => {
        const envelope = findEnvelope(request, reply);
        return envelope ? envelopeView(envelope) : reply;
      });

      api.get<{ Params: { envelopeId: string } }>('/envelopes/:envelopeId/recipients', async (request, reply) => {
        const envelope = findEnvelope(request, reply);
        return envelope ? recipientsView(envelope) : reply;
      });

      // https://developers.docusign.com/docs/esign-rest-api/reference/envelopes/envelopes/update/ (void, resend)
      api.put<{ Params: { envelopeId: string }; Querystring: { resend_envelope?: string }; Body: Record<string, unknown> }>('/envelopes/:envelopeId', async (request, reply) => {
        const envelope = findEnvelope(request, reply);
        if (!envelope) return reply;
        const body = request.body ?? {};
        if (body.status === 'voided') {
          if (!isActive(envelope)) return docusignError(reply, 400, 'ENVELOPE_CANNOT_VOID_INVALID_STATE', 'Only envelopes in the Sent or Delivered states may be voided.');
          if (typeof body.voidedReason !== 'string' || !body.voidedReason) return docusignError(reply, 400, 'ENVELOPE_VOID_REASON_REQUIRED', 'A void reason is required.');
          voidEnvelope(envelope, body.voidedReason);
          return { envelopeId: envelope.envelopeId };
        }
        if (request.query.resend_envelope === 'true') {
          if (!isActive(envelope)) return docusignError(reply, 400, 'ENVELOPE_INVALID_STATUS', 'Invalid envelope status for this operation.');
          resend(envelope);
          return { envelopeId: envelope.envelopeId };
        }
        return docusignError(reply, 400, 'INVALID_REQUEST_PARAMETER', 'The emulator only voids and resends envelopes.');
      });

      // https://developers.docusign.com/docs/esign-rest-api/reference/envelopes/enveloperecipients/update/ (resend only)
      api.put<{ Params: { envelopeId: string }; Querystring: { resend_envelope?: string } }>('/envelopes/:envelopeId/recipients', async (request, reply) => {
        const envelope = findEnvelope(request, reply);
        if (!envelope) return reply;
        if (request.query.resend_envelope !== 'true') return docusignError(reply, 400, 'INVALID_REQUEST_PARAMETER', 'The emulator does not correct recipients.');
        if (!isActive(envelope)) return docusignError(reply, 400, 'ENVELOPE_INVALID_STATUS', 'Invalid envelope status for this operation.');
        resend(envelope);
        return { recipientUpdateResults: envelope.signers.map((signer) => ({ recipientId: signer.recipientId })) };
      });

      // https://developers.docusign.com/docs/esign-rest-api/reference/envelopes/envelopedocuments/get/
      api.get<{ Params: { envelopeId: string; documentId: string } }>('/envelopes/:envelopeId/documents/:documentId', async (request, reply) => {
        const envelope = findEnvelope(request, reply);
        if (!envelope) return reply;
        const { documentId } = request.params;
        const pdf = documentId === 'combined' ? combinedPdf(envelope) : documentId === 'certificate' ? await certificatePdf(envelope) : documentId === '1' ? envelope.pdf : undefined;
        if (!pdf) return docusignError(reply, 404, 'DOCUMENT_DOES_NOT_EXIST', 'The document specified was not found.');
        const filename = documentId === '1' ? envelope.documentName : `${documentId}.pdf`;
        return reply.type('application/pdf').header('content-disposition', `file; filename="${filename.replace(/"/g, '')}"; documentid="${documentId}"`).send(pdf);
      });
    },
    { prefix: '/restapi/v2.1/accounts/:accountId' },
  );

  app.get('/emulator', async () => ({ emulator: 'docusign', note: 'This is a local emulator of DocuSign, not DocuSign.' }));

  // For a person trying the app (npm start, npm run emulators): act as a signer over HTTP.
  const signerAction = z.object({ envelopeId: z.string(), email: z.string(), action: z.enum(['deliver', 'sign', 'decline']) });
  app.post('/emulator/envelopes/:envelopeId/signers/:email/:action', async (request, reply) => {
    const parsed = signerAction.safeParse(request.params);
    if (!parsed.success) return reply.status(400).send({ errorCode: 'INVALID_REQUEST_PARAMETER', message: 'deliver, sign or decline' });
    const { envelopeId, email, action } = parsed.data;
    const reason = (request.body as { reason?: string } | undefined)?.reason ?? 'Declined in the emulator';
    try {
      await (action === 'decline' ? emulator.decline(envelopeId, email, reason) : emulator[action](envelopeId, email));
    } catch (error) {
      return reply.status(400).send({ errorCode: 'INVALID_REQUEST_PARAMETER', message: (error as Error).message });
    }
    return { envelopeId, status: envelopes.get(envelopeId)?.status };
  });

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  /** Runs a signer's action, then waits until Connect has tried to deliver what it caused. */
  async function act(envelopeId: string, email: string, action: (envelope: EmulatedEnvelope, signer: EmulatedSigner) => void) {
    const { envelope, signer } = signerInTurn(envelopeId, email);
    action(envelope, signer);
    await connectQueue;
  }

  const emulator = {
    oauthBasePath: baseUrl,
    apiBasePath: `${baseUrl}/restapi`,
    accountId,
    integrationKey: options.integrationKey,
    userId: options.userId,
    envelopes,
    received,
    connectDeliveries,
    /** Fails the next requests; the body is DocuSign's `{ errorCode, message }` unless given. */
    failNext(failure: PlannedFailure) {
      failures.failNext({ body: { errorCode: DEFAULT_ERROR_CODES[failure.status] ?? 'UNSPECIFIED_ERROR', message: `Emulated failure ${failure.status}` }, ...failure });
    },
    setLatency: (ms: number) => failures.setLatency(ms),
    reset() {
      failures.reset();
      dropsPlanned = 0;
      createAnswersToLose = 0;
      rateLimit = { resetAtSec: 0, remaining: RATE_LIMIT_PER_HOUR };
    },
    setConsent(given: boolean) {
      consentGiven = given;
    },
    /** When the hourly rate-limit window ends (X-RateLimit-Reset, epoch seconds). */
    setRateLimitReset(epochSec: number) {
      rateLimit = { resetAtSec: epochSec, remaining: rateLimit.remaining };
    },
    issuedTokenCount: () => accessTokens.size,
    /** Every access token issued so far stops working, as when DocuSign's expire. */
    expireAccessTokens() {
      for (const token of accessTokens.keys()) accessTokens.set(token, 0);
    },
    /** The signer opens the envelope. */
    deliver: (envelopeId: string, email: string) => act(envelopeId, email, deliverTo),
    /** The signer signs (opening it first if they had not); the next routing order gets it, or the envelope completes. */
    sign: (envelopeId: string, email: string) =>
      act(envelopeId, email, (envelope, signer) => {
        deliverTo(envelope, signer);
        signer.status = 'completed';
        signer.signedDateTime = now();
        emit(envelope, 'recipient-completed', signer);
        if (envelope.signers.every((candidate) => candidate.status === 'completed')) {
          envelope.completedDateTime = signer.signedDateTime;
          changeStatus(envelope, 'completed', signer.signedDateTime);
        } else {
          routeNext(envelope);
        }
      }),
    decline: (envelopeId: string, email: string, reason: string) =>
      act(envelopeId, email, (envelope, signer) => {
        deliverTo(envelope, signer);
        signer.status = 'declined';
        signer.declinedDateTime = now();
        signer.declinedReason = reason;
        emit(envelope, 'recipient-declined', signer);
        envelope.declinedDateTime = signer.declinedDateTime;
        changeStatus(envelope, 'declined', signer.declinedDateTime);
      }),
    /** The sender voids it in DocuSign's web app. */
    async voidEnvelope(envelopeId: string, reason: string) {
      const envelope = envelopes.get(envelopeId);
      if (!envelope || !isActive(envelope)) throw new Error(`envelope ${envelopeId} cannot be voided`);
      voidEnvelope(envelope, reason);
      await connectQueue;
    },
    /** The next envelope is created, but its answer is lost (a 503 instead of the 201). */
    loseNextCreateAnswer() {
      createAnswersToLose += 1;
    },
    /** The next Connect message is lost: recorded as dropped, never sent. */
    dropNextConnect() {
      dropsPlanned += 1;
    },
    /** Resolves once Connect has tried every message queued so far. */
    connectSettled: () => connectQueue,
    stop: async () => {
      await connectQueue;
      await app.close();
    },
  };
  return emulator;
}

export type DocuSignEmulator = Awaited<ReturnType<typeof startDocuSignEmulator>>;
