import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requestContextOf } from '../../lib/request-context.js';
import { currentUser, type AuthGuards } from '../auth/auth.guards.js';
import { Permission } from '../auth/auth.permissions.js';
import {
  consentUrlResponse,
  envelopeDetailsResponse,
  envelopeIdParams,
  envelopesResponse,
  listEnvelopesQuery,
  minutesIdParams,
  sendForSignatureBody,
  sendForSignatureHeaders,
  sendForSignatureResponse,
  voidEnvelopeBody,
} from './signatures.schemas.js';
import type { SignaturesService } from './signatures.service.js';

const security = [{ bearerAuth: [] }];
const tags = ['signatures'];

/** `/v1/minutes/:id/send-for-signature`, `/signed-pdf` and `/certificate`. */
export function minutesSignatureRoutes(deps: { signatures: SignaturesService; guards: AuthGuards }): FastifyPluginAsyncZod {
  const { signatures, guards } = deps;
  return async (app) => {
    app.post(
      '/:id/send-for-signature',
      {
        schema: {
          tags,
          summary: 'Send finalised minutes to DocuSign (Idempotency-Key honoured); 202 while the envelope is still being sent',
          security,
          params: minutesIdParams,
          headers: sendForSignatureHeaders,
          body: sendForSignatureBody,
          response: { 201: sendForSignatureResponse, 202: sendForSignatureResponse },
        },
        onRequest: guards.authorize(Permission.sendForSignature),
      },
      async (request, reply) => {
        const outcome = await signatures.requestSend(currentUser(request).id, request.params.id, request.body, request.headers['idempotency-key'], requestContextOf(request));
        if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
        return reply.status(outcome.status).send(outcome.body);
      },
    );

    for (const [document, summary, suffix] of [
      ['signed-pdf', 'The PDF as signed on DocuSign (404 until signed)', 'assinada'],
      ['certificate', "DocuSign's certificate of completion (404 until signed)", 'certificado'],
    ] as const) {
      app.get(
        `/:id/${document}`,
        { schema: { tags, summary, security, params: minutesIdParams }, onRequest: guards.authorize(Permission.readMeetings) },
        async (request, reply) => {
          const { pdf, sha256 } = await signatures.signedDocument(currentUser(request).id, request.params.id, document);
          return reply
            .type('application/pdf')
            .header('content-disposition', `attachment; filename="ata-${request.params.id}-${suffix}.pdf"`)
            .header('x-content-sha256', sha256)
            .send(pdf);
        },
      );
    }
  };
}

/** `/v1/docusign`: the user's envelopes, void, resend, consent. */
export function docusignRoutes(deps: { signatures: SignaturesService; guards: AuthGuards }): FastifyPluginAsyncZod {
  const { signatures, guards } = deps;
  const canRead = guards.authorize(Permission.readMeetings);
  const canSend = guards.authorize(Permission.sendForSignature);
  return async (app) => {
    app.get('/envelopes', { schema: { tags, security, querystring: listEnvelopesQuery, response: { 200: envelopesResponse } }, onRequest: canRead }, async (request) =>
      signatures.list(currentUser(request).id, request.query),
    );

    app.get(
      '/envelopes/:envelopeId',
      { schema: { tags, summary: "By DocuSign's envelope id", security, params: envelopeIdParams, response: { 200: envelopeDetailsResponse } }, onRequest: canRead },
      async (request) => signatures.details(currentUser(request).id, request.params.envelopeId),
    );

    app.post(
      '/envelopes/:envelopeId/void',
      { schema: { tags, security, params: envelopeIdParams, body: voidEnvelopeBody, response: { 200: envelopeDetailsResponse } }, onRequest: canSend },
      async (request) => signatures.void(currentUser(request).id, request.params.envelopeId, request.body.reason, requestContextOf(request)),
    );

    app.post(
      '/envelopes/:envelopeId/resend',
      { schema: { tags, summary: 'DocuSign e-mails the pending signers again', security, params: envelopeIdParams, response: { 200: envelopeDetailsResponse } }, onRequest: canSend },
      async (request) => signatures.resend(currentUser(request).id, request.params.envelopeId, requestContextOf(request)),
    );

    app.get(
      '/consent-url',
      { schema: { tags, summary: 'Where the user grants this app consent to send envelopes for them (JWT grant)', security, response: { 200: consentUrlResponse } }, onRequest: canRead },
      async (request) => signatures.consentUrl(currentUser(request).id),
    );
  };
}
