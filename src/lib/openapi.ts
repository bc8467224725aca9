import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { errorStatuses, type ErrorCode } from './errors.js';

/**
 * The OpenAPI document says everything a route answers: its zod schemas give the bodies; the
 * route declares the error codes of its own rules (`errors`) and the headers of its own answers
 * (`responseHeaders`); the rest (validation, authentication, limits, failures, the headers every
 * answer carries) is added here from the route's schema, so nothing is written twice.
 */
declare module 'fastify' {
  interface FastifySchema {
    /** Error codes the route's own rules answer with, beyond those every route of its kind has. */
    errors?: readonly ErrorCode[];
    /** Headers the route sends with an answer, by status, beyond those every answer carries. */
    responseHeaders?: Partial<Record<number, readonly ResponseHeader[]>>;
    /** A body the route reads itself (as bytes, for a parser or a signature), not through a zod schema: its media types. */
    unparsedBody?: { description: string; mediaTypes: readonly string[] };
    /** A 200 that is a file, not JSON. */
    fileResponse?: { description: string; mediaType: string };
    /** The body may be left out (its schema reads a missing one as `{}`): `@fastify/swagger` would call it required. */
    isBodyOptional?: boolean;
  }
}

const headerDocs = {
  'X-Request-Id': { type: 'string', description: "The request's id: the one sent (letters, digits, `._:-`, up to 128) or a new UUID" },
  'RateLimit-Limit': { type: 'integer', description: 'Requests allowed in the window' },
  'RateLimit-Remaining': { type: 'integer', description: 'Requests left in the window' },
  'RateLimit-Reset': { type: 'integer', description: 'Seconds until the window resets' },
  'Retry-After': { type: 'integer', minimum: 0, description: 'Seconds to wait before asking again' },
  Location: { type: 'string', description: 'Where to follow the resource' },
  'Idempotent-Replayed': { type: 'string', enum: ['true'], description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key' },
  'Content-Disposition': { type: 'string', description: 'The file name to save the document under' },
  'X-Content-SHA256': { type: 'string', pattern: '^[0-9a-f]{64}$', description: "Hex SHA-256 of the body: the document's fingerprint" },
} as const;

export type ResponseHeader = keyof typeof headerDocs;

/** What a call to Zoom, OpenAI or DocuSign can end in, as our client sees it. */
export const providerErrors = [
  'integration_not_configured',
  'integration_invalid',
  'provider_error',
  'provider_unavailable',
  'provider_rate_limited',
  'provider_timeout',
] as const satisfies readonly ErrorCode[];

const tokenErrors = [
  'token_missing',
  'token_malformed',
  'token_algorithm_invalid',
  'token_signature_invalid',
  'token_expired',
  'token_type_invalid',
  'token_claims_invalid',
  'session_revoked',
  'user_disabled',
] as const satisfies readonly ErrorCode[];

const statusDescriptions: Record<number, string> = {
  200: 'Done',
  201: 'Created',
  202: 'Accepted: still in progress; follow it',
  400: 'The request is not valid',
  401: 'Not authenticated',
  403: 'Not allowed',
  404: 'Not found (or not yours)',
  408: 'The request took too long to arrive',
  409: "The resource's state does not allow it",
  413: 'The body is too large',
  414: 'A path parameter is too long',
  415: 'A content type the route does not take',
  422: 'Understood, but cannot be processed',
  424: 'A provider integration is missing or refused',
  429: 'Too many requests',
  500: 'An unexpected failure',
  502: 'A provider failed',
  503: 'Unavailable for now',
  504: 'A provider did not answer in time',
};

interface RouteSchema {
  params?: unknown;
  querystring?: unknown;
  body?: unknown;
  headers?: unknown;
  security?: readonly unknown[];
  errors?: readonly ErrorCode[];
  responseHeaders?: Partial<Record<number, readonly ResponseHeader[]>>;
  unparsedBody?: { description: string; mediaTypes: readonly string[] };
  fileResponse?: { description: string; mediaType: string };
}

/** Every error code a route can answer with: its own, and those its schema implies. */
function errorCodesOf(schema: RouteSchema, options: { rateLimited: boolean }): ErrorCode[] {
  const codes = new Set<ErrorCode>(['internal_error', 'database_unavailable', 'service_unavailable', ...(schema.errors ?? [])]);
  if (options.rateLimited) codes.add('rate_limited');
  if (schema.params || schema.querystring || schema.body || schema.headers) codes.add('validation_failed');
  if (schema.params) codes.add('uri_too_long');
  if (schema.body) for (const code of ['invalid_json', 'bad_request', 'payload_too_large', 'unsupported_media_type'] as const) codes.add(code);
  if (schema.unparsedBody) for (const code of ['bad_request', 'payload_too_large', 'unsupported_media_type'] as const) codes.add(code);
  if (schema.security?.length) for (const code of [...tokenErrors, 'forbidden'] as const) codes.add(code);
  return [...codes];
}

function headersOf(names: readonly ResponseHeader[]) {
  return Object.fromEntries(names.map((name) => [name, headerDocs[name]]));
}

const errorBody = (codes: ErrorCode[]) => ({
  allOf: [{ $ref: '#/components/schemas/Error' }, { type: 'object', properties: { code: { type: 'string', enum: codes } } }],
});

/** The error answer of a status; where the route answers that status with a body of its own too, either. */
function errorResponse(status: number, codes: ErrorCode[], headers: readonly ResponseHeader[], ownBody: Record<string, unknown> | undefined) {
  const description = statusDescriptions[status] ?? 'An error';
  const body = ownBody ? { oneOf: [ownBody, errorBody(codes)] } : errorBody(codes);
  return { description, headers: headersOf(headers), ...body };
}

/** Removes `pattern` where a `format` says the same: reference pages sample nonsense from the regex. */
function withoutFormatPatterns(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutFormatPatterns);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).filter(([key]) => !(key === 'pattern' && 'format' in value));
  return Object.fromEntries(entries.map(([key, entry]) => [key, withoutFormatPatterns(entry)]));
}

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];

/** `@fastify/swagger`'s route transform: the zod schemas as JSON Schema, plus errors and headers. */
export function documentRoute(input: TransformInput) {
  const { schema, url } = jsonSchemaTransform(input);
  if (!schema || schema.hide) return { schema, url };
  const declared = input.schema as RouteSchema;
  const { errors: _errors, responseHeaders: _headers, unparsedBody, fileResponse, isBodyOptional, ...rest } = schema as RouteSchema & Record<string, unknown>;
  const body = unparsedBody ? { description: unparsedBody.description, content: Object.fromEntries(unparsedBody.mediaTypes.map((type) => [type, { schema: { type: 'string' } }])) } : rest.body;
  const rateLimited = (input.route.config as { rateLimit?: unknown } | undefined)?.rateLimit !== false;
  const everyAnswer: ResponseHeader[] = ['X-Request-Id', ...(rateLimited ? (['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'] as const) : [])];

  const response: Record<string, unknown> = {};
  const answers = { ...(schema.response as Record<string, Record<string, unknown>> | undefined) };
  if (fileResponse) answers[200] = { description: fileResponse.description, content: { [fileResponse.mediaType]: { schema: { type: 'string', format: 'binary' } } } };
  for (const [status, body] of Object.entries(answers)) {
    const description = typeof body.description === 'string' ? body.description : statusDescriptions[Number(status)];
    response[status] = { ...body, description, headers: headersOf([...everyAnswer, ...(declared.responseHeaders?.[Number(status)] ?? [])]) };
  }
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(declared, { rateLimited })) byStatus.set(errorStatuses[code], [...(byStatus.get(errorStatuses[code]) ?? []), code]);
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const retry: ResponseHeader[] = status === 429 || status === 503 ? ['Retry-After'] : [];
    response[status] = errorResponse(status, codes.sort(), [...everyAnswer, ...retry, ...(declared.responseHeaders?.[status] ?? [])], answers[status]);
  }
  // An `x-` key is copied onto the operation, where documentObject turns it into `requestBody.required: false`.
  return { schema: { ...rest, ...(body ? { body } : {}), ...(isBodyOptional ? { [OPTIONAL_BODY]: true } : {}), response } as typeof schema, url };
}

const OPTIONAL_BODY = 'x-optional-body';

/** The operations whose route said `isBodyOptional`: their body is not required. */
function withOptionalBodies<T>(document: T): T {
  const operations = Object.values((document as { paths?: Record<string, Record<string, Record<string, unknown>>> }).paths ?? {}).flatMap((path) => Object.values(path));
  for (const operation of operations) {
    if (!operation[OPTIONAL_BODY]) continue;
    delete operation[OPTIONAL_BODY];
    if (operation.requestBody) operation.requestBody = { ...operation.requestBody, required: false };
  }
  return document;
}

/**
 * `@fastify/swagger`'s document transform: the shared schemas, the error body every error has,
 * and `sections` the routes do not give (the `webhooks` Atas sends).
 */
export function documentObject(input: Parameters<typeof jsonSchemaTransformObject>[0], sections: Record<string, unknown> = {}) {
  const document = { ...jsonSchemaTransformObject(input), ...sections } as ReturnType<typeof jsonSchemaTransformObject> & { components: { schemas: Record<string, unknown> } };
  document.components.schemas.Error = {
    type: 'object',
    description: 'Every error: a message for people, a stable code for programs',
    required: ['error', 'code', 'requestId'],
    properties: {
      error: { type: 'string', description: 'For people; may change' },
      code: { type: 'string', enum: Object.keys(errorStatuses), description: 'Stable: branch on it' },
      details: { description: 'What went wrong where, when the code has more to say (validation issues, the provider, a consent URL)' },
      requestId: { type: 'string', description: 'The X-Request-Id of the request, to quote when asking for help' },
    },
  };
  return withSharedComponents(withoutUnusedSchemas(withOptionalBodies(withoutFormatPatterns(document) as typeof document)));
}

type Response = { headers?: Record<string, unknown>; $ref?: string };
type Paths = Record<string, Record<string, { responses?: Record<string, Response> }>>;

/** The error answers most routes share, by status, named once under `components.responses`. */
const sharedResponseNames: Record<string, string> = { 401: 'Unauthenticated', 403: 'Forbidden', 429: 'RateLimited', 500: 'InternalError', 503: 'Unavailable' };

/**
 * Each header described once under `components.headers`, and the commonest answer of each status
 * in `sharedResponseNames` once under `components.responses`; every operation refers to them.
 */
function withSharedComponents<T extends { components: object }>(document: T): T {
  const headers: Record<string, unknown> = {};
  const answers = Object.values((document as { paths?: Paths }).paths ?? {}).flatMap((operations) =>
    Object.values(operations).flatMap((operation) => Object.entries(operation.responses ?? {}).map(([status, response]) => ({ status, response, responses: operation.responses! }))),
  );
  for (const { response } of answers) {
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      headers[name] = header;
      response.headers![name] = { $ref: `#/components/headers/${name}` };
    }
  }
  const responses: Record<string, unknown> = {};
  for (const [status, name] of Object.entries(sharedResponseNames)) {
    const variants = new Map<string, number>();
    for (const answer of answers) if (answer.status === status) variants.set(JSON.stringify(answer.response), (variants.get(JSON.stringify(answer.response)) ?? 0) + 1);
    const commonest = [...variants].sort(([, a], [, b]) => b - a)[0]?.[0];
    if (!commonest) continue;
    responses[name] = JSON.parse(commonest);
    for (const answer of answers) if (answer.status === status && JSON.stringify(answer.response) === commonest) answer.responses[status] = { $ref: `#/components/responses/${name}` };
  }
  return { ...document, components: { ...document.components, headers, responses } };
}

/** The zod registry gives every shared schema an input twin too; only those referenced stay. */
function withoutUnusedSchemas<T extends { components: { schemas: Record<string, unknown> } }>(document: T): T {
  const schemas = { ...document.components.schemas };
  const referencedFrom = (value: unknown) => new Set([...JSON.stringify(value).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]!));
  const used = referencedFrom({ ...document, components: { ...document.components, schemas: {} } });
  for (const name of used) for (const inner of referencedFrom(schemas[name])) used.add(inner);
  return { ...document, components: { ...document.components, schemas: Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name))) } };
}
