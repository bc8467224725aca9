import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { providerErrors } from '../../lib/openapi.js';
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
          operationId: 'sendForSignature',
          tags,
          summary: 'Send minutes for signature',
          description:
            "Finalised minutes go to DocuSign as an envelope, the signers' lines anchored in the PDF. The answer waits up to MINUTES_WAIT_MS for DocuSign's envelope id (201), else 202 while it is being sent; an `Idempotency-Key` makes retries safe.",
          security,
          params: minutesIdParams,
          headers: sendForSignatureHeaders,
          body: sendForSignatureBody,
          errors: [...providerErrors, 'not_found', 'minutes_not_finalized', 'test_minutes', 'envelope_active', 'consent_required', 'idempotency_key_reused', 'conflict'],
          responseHeaders: { 201: ['Idempotent-Replayed'], 202: ['Idempotent-Replayed'] },
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

    for (const [document, operationId, summary, suffix] of [
      ['signed-pdf', 'getSignedPdf', 'The signed PDF', 'assinada'],
      ['certificate', 'getSignatureCertificate', "DocuSign's certificate of completion", 'certificado'],
    ] as const) {
      app.get(
        `/:id/${document}`,
        {
          schema: {
            operationId,
            tags,
            summary,
            description: `${summary} of the minutes, as DocuSign returned it when every signer had signed; \`not_found\` until then.`,
            security,
            params: minutesIdParams,
            errors: ['not_found'],
            responseHeaders: { 200: ['Content-Disposition', 'X-Content-SHA256'] },
            fileResponse: { description: 'The PDF', mediaType: 'application/pdf' },
          },
          onRequest: guards.authorize(Permission.readMeetings),
        },
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
    app.get(
      '/envelopes',
      {
        schema: {
          operationId: 'listEnvelopes',
          tags,
          summary: 'Your envelopes',
          description: 'Every envelope sent for your minutes, newest first, a page at a time; filter by `status`.',
          security,
          querystring: listEnvelopesQuery,
          response: { 200: envelopesResponse },
        },
        onRequest: canRead,
      },
      async (request) => signatures.list(currentUser(request).id, request.query),
    );

    app.get(
      '/envelopes/:envelopeId',
      {
        schema: {
          operationId: 'getEnvelope',
          tags,
          summary: 'An envelope',
          description: "By DocuSign's envelope id: its status and each signer's, as Connect and reconciliation last saw them.",
          security,
          params: envelopeIdParams,
          errors: ['not_found'],
          response: { 200: envelopeDetailsResponse },
        },
        onRequest: canRead,
      },
      async (request) => signatures.details(currentUser(request).id, request.params.envelopeId),
    );

    app.post(
      '/envelopes/:envelopeId/void',
      {
        schema: {
          operationId: 'voidEnvelope',
          tags,
          summary: 'Void an envelope',
          description: 'On DocuSign, with the reason its signers will see; only while it is out for signing (`conflict` after).',
          security,
          params: envelopeIdParams,
          body: voidEnvelopeBody,
          errors: [...providerErrors, 'not_found', 'conflict', 'consent_required'],
          response: { 200: envelopeDetailsResponse },
        },
        onRequest: canSend,
      },
      async (request) => signatures.void(currentUser(request).id, request.params.envelopeId, request.body.reason, requestContextOf(request)),
    );

    app.post(
      '/envelopes/:envelopeId/resend',
      {
        schema: {
          operationId: 'resendEnvelope',
          tags,
          summary: 'Remind the pending signers',
          description: 'DocuSign e-mails the signers who have not signed yet again; only while the envelope is out for signing.',
          security,
          params: envelopeIdParams,
          errors: [...providerErrors, 'not_found', 'conflict', 'consent_required'],
          response: { 200: envelopeDetailsResponse },
        },
        onRequest: canSend,
      },
      async (request) => signatures.resend(currentUser(request).id, request.params.envelopeId, requestContextOf(request)),
    );

    app.get(
      '/consent-url',
      {
        schema: {
          operationId: 'getDocuSignConsentUrl',
          tags,
          summary: 'Where to grant DocuSign consent',
          description: 'The DocuSign page where you let this app send envelopes for you (JWT grant), once per DocuSign account.',
          security,
          errors: ['integration_not_configured', 'integration_invalid'],
          response: { 200: consentUrlResponse },
        },
        onRequest: canRead,
      },
      async (request) => signatures.consentUrl(currentUser(request).id),
    );
  };
}
