import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  certificatePdf,
  combinedPdf,
  documentsView,
  envelopeOf,
  envelopeView,
  isActive,
  recipientsView,
  type EmulatedEnvelope,
  type EnvelopeSender,
} from './docusign-envelopes.js';

interface EnvelopeApiOptions {
  accountId: string;
  envelopes: Map<string, EmulatedEnvelope>;
  sender: EnvelopeSender;
  tokenProblem: (request: FastifyRequest) => { errorCode: string; message: string } | undefined;
  /** A new envelope was stored: Connect hears of it and the first signers get it. */
  onCreated: (envelope: EmulatedEnvelope) => void;
  voidEnvelope: (envelope: EmulatedEnvelope, reason: string) => void;
  resend: (envelope: EmulatedEnvelope) => void;
  /** True when this create's answer is to be lost (a 503 although the envelope exists). */
  loseCreateAnswer: () => boolean;
}

type Envelope = { Params: { envelopeId: string } };
type Query = Record<string, string | undefined>;

// DocuSign answers every error with 400 and its errorCode (the swagger declares no other), but a bad token with 401.
function docusignError(reply: FastifyReply, status: number, errorCode: string, message: string) {
  return reply.status(status).send({ errorCode, message });
}

/** `include=recipients,custom_fields` as a set. */
const includesOf = (include: string | undefined) => new Set((include ?? '').split(',').map((name) => name.trim()).filter(Boolean));

function hasCustomField(envelope: EmulatedEnvelope, filter: string): boolean {
  const separator = filter.indexOf('=');
  const [name, value] = separator < 0 ? [filter, undefined] : [filter.slice(0, separator), filter.slice(separator + 1)];
  const fields = [...envelope.customFields.textCustomFields, ...envelope.customFields.listCustomFields];
  return fields.some((field) => field.name === name && (value === undefined || field.value === value));
}

/** Envelopes:listStatusChanges: which envelopes a query selects, in the order asked for. */
function selectEnvelopes(envelopes: Iterable<EmulatedEnvelope>, query: Query, envelopeIds: string[] | undefined): EmulatedEnvelope[] {
  const from = Date.parse(query.from_date ?? '');
  const to = query.to_date ? Date.parse(query.to_date) : Number.POSITIVE_INFINITY;
  const statuses = query.status ? new Set(query.status.split(',').map((status) => status.trim().toLowerCase())) : undefined;
  const found = [...envelopes].filter((envelope) => {
    const changed = Date.parse(envelope.statusChangedDateTime);
    return (
      (!envelopeIds || envelopeIds.includes(envelope.envelopeId)) &&
      (Number.isNaN(from) || changed >= from) &&
      changed <= to &&
      (!statuses || statuses.has(envelope.status)) &&
      (!query.custom_field || hasCustomField(envelope, query.custom_field))
    );
  });
  found.sort((a, b) => a.statusChangedDateTime.localeCompare(b.statusChangedDateTime));
  return query.order === 'desc' ? found.reverse() : found;
}

/** The eSignature REST v2.1 envelope endpoints, under /restapi/v2.1/accounts/:accountId. */
export function installEnvelopeApi(api: FastifyInstance, options: EnvelopeApiOptions) {
  const { envelopes } = options;

  api.addHook('preHandler', async (request, reply) => {
    const problem = options.tokenProblem(request);
    if (problem) return reply.status(401).send(problem);
    if ((request.params as { accountId: string }).accountId !== options.accountId) {
      return docusignError(reply, 400, 'USER_LACKS_MEMBERSHIP', 'The UserID does not have a valid membership in this Account.');
    }
  });

  function findEnvelope(request: FastifyRequest<Envelope>, reply: FastifyReply): EmulatedEnvelope | undefined {
    const envelope = envelopes.get(request.params.envelopeId);
    if (!envelope) void docusignError(reply, 400, 'ENVELOPE_DOES_NOT_EXIST', 'The envelope specified either does not exist or you have no rights to it.');
    return envelope;
  }

  // https://developers.docusign.com/docs/esign-rest-api/reference/envelopes/envelopes/create/
  api.post<{ Body: Record<string, unknown> }>('/envelopes', async (request, reply) => {
    const envelope = envelopeOf(request.body ?? {}, options.sender);
    if (!('envelopeId' in envelope)) return reply.status(400).send(envelope);
    envelopes.set(envelope.envelopeId, envelope);
    options.onCreated(envelope);
    if (options.loseCreateAnswer()) return docusignError(reply, 503, 'UNSPECIFIED_ERROR', 'Emulated: the envelope was created but the answer is lost');
    return reply.status(201).send({ envelopeId: envelope.envelopeId, uri: `/envelopes/${envelope.envelopeId}`, statusDateTime: envelope.createdDateTime, status: 'sent' });
  });

  // https://developers.docusign.com/docs/esign-rest-api/reference/envelopes/envelopes/liststatuschanges/
  // (from_date, to_date, status, custom_field, envelope_ids, include, order, start_position, count)
  api.get<{ Querystring: Query }>('/envelopes', async (request, reply) => {
    const { query } = request;
    const envelopeIds = query.envelope_ids?.split(',').map((id) => id.trim()).filter(Boolean);
    if (Number.isNaN(Date.parse(query.from_date ?? '')) && !envelopeIds) {
      const message = "The request contained at least one invalid parameter. Query parameter 'from_date' must be set to a valid DateTime, or 'envelope_ids' or 'transaction_ids' must be specified.";
      return docusignError(reply, 400, 'INVALID_REQUEST_PARAMETER', message);
    }
    const found = selectEnvelopes(envelopes.values(), query, envelopeIds);
    const start = Number(query.start_position ?? 0);
    const page = found.slice(start, start + Number(query.count ?? found.length));
    const include = includesOf(query.include);
    return {
      resultSetSize: String(page.length),
      totalSetSize: String(found.length),
      startPosition: String(start),
      endPosition: String(start + page.length - 1),
      envelopes: page.map((envelope) => envelopeView(envelope, include)),
    };
  });

  // https://developers.docusign.com/docs/esign-rest-api/reference/envelopes/envelopes/get/
  api.get<Envelope & { Querystring: Query }>('/envelopes/:envelopeId', async (request, reply) => {
    const envelope = findEnvelope(request, reply);
    return envelope ? envelopeView(envelope, includesOf(request.query.include)) : reply;
  });

  // https://developers.docusign.com/docs/esign-rest-api/reference/envelopes/enveloperecipients/list/
  api.get<Envelope & { Querystring: Query }>('/envelopes/:envelopeId/recipients', async (request, reply) => {
    const envelope = findEnvelope(request, reply);
    return envelope ? recipientsView(envelope, request.query.include_tabs === 'true') : reply;
  });

  // https://developers.docusign.com/docs/esign-rest-api/reference/envelopes/envelopecustomfields/list/
  api.get<Envelope>('/envelopes/:envelopeId/custom_fields', async (request, reply) => {
    const envelope = findEnvelope(request, reply);
    return envelope ? envelope.customFields : reply;
  });

  // https://developers.docusign.com/docs/esign-rest-api/reference/envelopes/envelopes/update/ (void, resend)
  api.put<Envelope & { Querystring: Query; Body: Record<string, unknown> }>('/envelopes/:envelopeId', async (request, reply) => {
    const envelope = findEnvelope(request, reply);
    if (!envelope) return reply;
    const body = request.body ?? {};
    if (body.status === 'voided') {
      if (!isActive(envelope)) return docusignError(reply, 400, 'ENVELOPE_CANNOT_VOID_INVALID_STATE', 'Only envelopes in the Sent or Delivered states may be voided.');
      if (typeof body.voidedReason !== 'string' || !body.voidedReason) return docusignError(reply, 400, 'ENVELOPE_VOID_REASON_REQUIRED', 'A void reason is required.');
      options.voidEnvelope(envelope, body.voidedReason);
      return { envelopeId: envelope.envelopeId };
    }
    if (request.query.resend_envelope === 'true') {
      if (!isActive(envelope)) return docusignError(reply, 400, 'ENVELOPE_INVALID_STATUS', 'Invalid envelope status for this operation.');
      options.resend(envelope);
      return { envelopeId: envelope.envelopeId };
    }
    return docusignError(reply, 400, 'INVALID_REQUEST_PARAMETER', 'The emulator only voids and resends envelopes.');
  });

  // https://developers.docusign.com/docs/esign-rest-api/reference/envelopes/enveloperecipients/update/ (resend only)
  api.put<Envelope & { Querystring: Query }>('/envelopes/:envelopeId/recipients', async (request, reply) => {
    const envelope = findEnvelope(request, reply);
    if (!envelope) return reply;
    if (request.query.resend_envelope !== 'true') return docusignError(reply, 400, 'INVALID_REQUEST_PARAMETER', 'The emulator does not correct recipients.');
    if (!isActive(envelope)) return docusignError(reply, 400, 'ENVELOPE_INVALID_STATUS', 'Invalid envelope status for this operation.');
    options.resend(envelope);
    return { recipientUpdateResults: envelope.signers.map((signer) => ({ recipientId: signer.recipientId, recipientIdGuid: signer.recipientIdGuid, errorDetails: { errorCode: 'SUCCESS', message: '' } })) };
  });

  // https://developers.docusign.com/docs/esign-rest-api/reference/envelopes/envelopedocuments/list/
  api.get<Envelope>('/envelopes/:envelopeId/documents', async (request, reply) => {
    const envelope = findEnvelope(request, reply);
    return envelope ? { envelopeId: envelope.envelopeId, envelopeDocuments: documentsView(envelope) } : reply;
  });

  // https://developers.docusign.com/docs/esign-rest-api/reference/envelopes/envelopedocuments/get/
  api.get<{ Params: { envelopeId: string; documentId: string } }>('/envelopes/:envelopeId/documents/:documentId', async (request, reply) => {
    const envelope = findEnvelope(request, reply);
    if (!envelope) return reply;
    const { documentId } = request.params;
    const pdf = documentId === 'combined' ? combinedPdf(envelope) : documentId === 'certificate' ? await certificatePdf(envelope) : documentId === envelope.documentId ? envelope.pdf : undefined;
    if (!pdf) return docusignError(reply, 400, 'DOCUMENT_DOES_NOT_EXIST', 'The document specified was not found.');
    const filename = documentId === envelope.documentId ? envelope.documentName : `${documentId}.pdf`;
    return reply.type('application/pdf').header('content-disposition', `file; filename="${filename.replace(/"/g, '')}"; documentid="${documentId}"`).send(pdf);
  });
}
