import { createPublicKey, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { installFailureSwitches, type PlannedFailure } from '../shared/failures.js';
import { installDocuSignAuth } from './docusign-auth.js';
import { createConnect } from './docusign-connect.js';
import { certificatePdf, combinedPdf, envelopeOf, envelopeView, isActive, recipientsView, type EmulatedEnvelope, type EmulatedSigner } from './docusign-envelopes.js';
import { createEnvelopeLifecycle } from './docusign-lifecycle.js';

export type { ConnectDelivery } from './docusign-connect.js';
export type { EmulatedEnvelope, EmulatedSigner } from './docusign-envelopes.js';

/**
 * A local DocuSign: the JWT grant, userinfo, and the eSignature REST v2.1 envelope endpoints we
 * use (paths, status codes, bodies and error codes as DocuSign documents), state in memory.
 * Signers act through controls (`deliver`, `sign`, `decline`) in routing order; every change is
 * reported by Connect (JSON SIM, HMAC-signed) to the envelope's eventNotification URL. It can
 * fail on demand. Not DocuSign: say so.
 */

export interface DocuSignReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
}

const RATE_LIMIT_PER_HOUR = 1000;
const DEFAULT_ERROR_CODES: Record<number, string> = {
  400: 'INVALID_REQUEST_BODY',
  401: 'USER_AUTHENTICATION_FAILED',
  404: 'ENVELOPE_DOES_NOT_EXIST',
  429: 'HOURLY_APIINVOCATION_LIMIT_EXCEEDED',
};

function docusignError(reply: FastifyReply, status: number, errorCode: string, message: string) {
  return reply.status(status).send({ errorCode, message });
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
  const app = Fastify({ logger: false, bodyLimit: 35 * 1024 * 1024, forceCloseConnections: true });
  const envelopes = new Map<string, EmulatedEnvelope>();
  const received: DocuSignReceivedRequest[] = [];
  const connect = createConnect({ accountId, userId: options.userId, hmacKeys: options.hmacKeys });
  const { routeNext, signerInTurn, deliverTo, sign, decline, voidEnvelope, resend } = createEnvelopeLifecycle(envelopes, connect.emit);
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

  const auth = installDocuSignAuth(app, {
    integrationKey: options.integrationKey,
    userId: options.userId,
    accountId,
    publicKey,
    consentGiven: options.consentGiven ?? true,
    baseUrl: () => baseUrl,
  });

  await app.register(
    async (api) => {
      api.addHook('preHandler', async (request, reply) => {
        const problem = auth.tokenProblem(request);
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
        connect.emit(envelope, 'envelope-sent');
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
    await connect.settled();
  }

  const emulator = {
    oauthBasePath: baseUrl,
    apiBasePath: `${baseUrl}/restapi`,
    accountId,
    integrationKey: options.integrationKey,
    userId: options.userId,
    envelopes,
    received,
    connectDeliveries: connect.deliveries,
    /** Fails the next requests; the body is DocuSign's `{ errorCode, message }` unless given. */
    failNext(failure: PlannedFailure) {
      const status = failure.status ?? 500;
      failures.failNext({ body: { errorCode: DEFAULT_ERROR_CODES[status] ?? 'UNSPECIFIED_ERROR', message: `Emulated failure ${status}` }, ...failure });
    },
    setLatency: (ms: number) => failures.setLatency(ms),
    reset() {
      failures.reset();
      connect.cancelPlannedDrops();
      createAnswersToLose = 0;
      rateLimit = { resetAtSec: 0, remaining: RATE_LIMIT_PER_HOUR };
    },
    setConsent: auth.setConsent,
    /** When the hourly rate-limit window ends (X-RateLimit-Reset, epoch seconds). */
    setRateLimitReset(epochSec: number) {
      rateLimit = { resetAtSec: epochSec, remaining: rateLimit.remaining };
    },
    issuedTokenCount: auth.issuedTokenCount,
    /** Every access token issued so far stops working, as when DocuSign's expire. */
    expireAccessTokens: auth.expireAccessTokens,
    /** The signer opens the envelope. */
    deliver: (envelopeId: string, email: string) => act(envelopeId, email, deliverTo),
    /** The signer signs (opening it first if they had not); the next routing order gets it, or the envelope completes. */
    sign: (envelopeId: string, email: string) => act(envelopeId, email, sign),
    decline: (envelopeId: string, email: string, reason: string) => act(envelopeId, email, (envelope, signer) => decline(envelope, signer, reason)),
    /** The sender voids it in DocuSign's web app. */
    async voidEnvelope(envelopeId: string, reason: string) {
      const envelope = envelopes.get(envelopeId);
      if (!envelope || !isActive(envelope)) throw new Error(`envelope ${envelopeId} cannot be voided`);
      voidEnvelope(envelope, reason);
      await connect.settled();
    },
    /** The next envelope is created, but its answer is lost (a 503 instead of the 201). */
    loseNextCreateAnswer() {
      createAnswersToLose += 1;
    },
    /** The next Connect message is lost: recorded as dropped, never sent. */
    dropNextConnect: connect.dropNext,
    /** Resolves once Connect has tried every message queued so far. */
    connectSettled: connect.settled,
    stop: async () => {
      await connect.settled();
      await app.close();
    },
  };
  return emulator;
}

export type DocuSignEmulator = Awaited<ReturnType<typeof startDocuSignEmulator>>;
