import { createPublicKey, randomUUID } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { installFailureSwitches, type PlannedFailure } from '../shared/failures.js';
import { installEnvelopeApi } from './docusign-api.js';
import { installDocuSignAuth } from './docusign-auth.js';
import { createConnect } from './docusign-connect.js';
import { isActive, type EmulatedEnvelope, type EmulatedSigner } from './docusign-envelopes.js';
import { createEnvelopeLifecycle } from './docusign-lifecycle.js';
import { selfSignedCertificate } from './docusign-tls.js';

export type { ConnectDelivery } from './docusign-connect.js';
export type { EmulatedEnvelope, EmulatedSigner } from './docusign-envelopes.js';

/**
 * A local DocuSign: the JWT grant, userinfo, and the eSignature REST v2.1 envelope endpoints we
 * use (paths, status codes, bodies and error codes as DocuSign documents), state in memory.
 * Signers act through controls (`deliver`, `sign`, `decline`) in routing order; every change is
 * reported by Connect (JSON SIM, HMAC-signed) to the envelope's eventNotification URL. It can
 * fail on demand. Not DocuSign: say so.
 * It listens twice: on http (Atas's client takes an http base path for loopback) and on https
 * with a certificate made at start, since DocuSign's SDKs reach the OAuth host on https only.
 */

export interface DocuSignReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
  /** The emulator's answer once sent: its status, and its body when JSON. */
  answer?: { status: number; body?: unknown };
}

const RATE_LIMIT_PER_HOUR = 1000;
const DEFAULT_ERROR_CODES: Record<number, string> = {
  400: 'INVALID_REQUEST_BODY',
  401: 'USER_AUTHENTICATION_FAILED',
  404: 'ENVELOPE_DOES_NOT_EXIST',
  429: 'HOURLY_APIINVOCATION_LIMIT_EXCEEDED',
};

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
  /** The https listener's; a free one unless said. */
  httpsPort?: number;
  host?: string;
}) {
  const accountId = options.accountId ?? randomUUID();
  const publicKey = createPublicKey(options.publicKeyPem);
  const app = Fastify({ logger: false, bodyLimit: 35 * 1024 * 1024, forceCloseConnections: true });
  const envelopes = new Map<string, EmulatedEnvelope>();
  const received: DocuSignReceivedRequest[] = [];
  const receivedBy = new WeakMap<FastifyRequest, DocuSignReceivedRequest>();
  const connect = createConnect({ accountId, userId: options.userId, hmacKeys: options.hmacKeys });
  const { routeNext, signerInTurn, deliverTo, sign, decline, voidEnvelope, resend } = createEnvelopeLifecycle(envelopes, connect.emit);
  let createAnswersToLose = 0;
  let rateLimit = { resetAtSec: 0, remaining: RATE_LIMIT_PER_HOUR };
  let baseUrl = '';
  let httpsBaseUrl = '';

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
      const entry = { method: request.method, path, query: Object.fromEntries(new URLSearchParams(search)), body: request.body, authorization: request.headers.authorization };
      received.push(entry);
      receivedBy.set(request, entry);
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const entry = receivedBy.get(request);
    const isJson = String(reply.getHeader('content-type') ?? '').startsWith('application/json');
    if (entry) entry.answer = { status: reply.statusCode, ...(isJson && typeof payload === 'string' ? { body: JSON.parse(payload) as unknown } : {}) };
    return payload;
  });

  const auth = installDocuSignAuth(app, {
    integrationKey: options.integrationKey,
    userId: options.userId,
    accountId,
    publicKey,
    consentGiven: options.consentGiven ?? true,
    baseUrls: () => [baseUrl, httpsBaseUrl],
  });
  const sender = { userName: auth.user.name, userId: options.userId, accountId, email: auth.user.email };

  await app.register(
    async (api) =>
      installEnvelopeApi(api, {
        accountId,
        envelopes,
        sender,
        tokenProblem: auth.tokenProblem,
        onCreated: (envelope) => {
          connect.emit(envelope, 'envelope-sent');
          routeNext(envelope);
        },
        voidEnvelope,
        resend,
        loseCreateAnswer: () => {
          if (createAnswersToLose === 0) return false;
          createAnswersToLose -= 1;
          return true;
        },
      }),
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

  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const { keyPem, certificatePem } = selfSignedCertificate();
  const secureServer = https.createServer({ key: keyPem, cert: certificatePem }, (request, response) => app.routing(request, response));
  await new Promise<void>((resolve, reject) => secureServer.once('error', reject).listen(options.httpsPort ?? 0, host, resolve));
  httpsBaseUrl = `https://127.0.0.1:${(secureServer.address() as AddressInfo).port}`;

  /** Runs a signer's action, then waits until Connect has tried to deliver what it caused. */
  async function act(envelopeId: string, email: string, action: (envelope: EmulatedEnvelope, signer: EmulatedSigner) => void) {
    const { envelope, signer } = signerInTurn(envelopeId, email);
    action(envelope, signer);
    await connect.settled();
  }

  const emulator = {
    oauthBasePath: baseUrl,
    apiBasePath: `${baseUrl}/restapi`,
    /** For DocuSign's SDKs: `oAuthBasePath` is a host they reach on https, `basePath` the REST API's URL there. */
    sdk: { oAuthBasePath: new URL(httpsBaseUrl).host, basePath: `${httpsBaseUrl}/restapi` },
    /** The https listener's self-signed certificate (PEM), for a client to trust. */
    certificatePem,
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
      const secureClosed = new Promise<void>((resolve) => secureServer.close(() => resolve()));
      secureServer.closeAllConnections();
      await Promise.all([secureClosed, app.close()]);
    },
  };
  return emulator;
}

export type DocuSignEmulator = Awaited<ReturnType<typeof startDocuSignEmulator>>;
