import fs from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { ReceivedRequest } from '../../emulators/zoom/zoom-emulator.js';

interface SwaggerOperation {
  parameters?: { in: string; name: string; schema?: object; $ref?: string }[];
  responses: Record<string, { description?: string; schema?: object }>;
}

const spec = JSON.parse(fs.readFileSync(new URL('../contracts/zoom/openapi.v2.json', import.meta.url), 'utf8')) as {
  basePath: string;
  paths: Record<string, Record<string, SwaggerOperation>>;
  definitions: Record<string, object>;
};

/**
 * Where the 2018 spec is out of date, today's API reference (https://developers.zoom.us/docs/api/meetings/,
 * /users/) wins: meeting IDs, a user's PMI and recording sizes and counts are int64 numbers (the
 * spec says strings), POST registrants answers with the meeting's numeric `id`, and a participant
 * `id` is Zoom's base64 UUID (`30R7kT7bTIKSNUFEuH_Qlg`), not an RFC 4122 one.
 */
const todaysZoom: [pointer: string, schema: object][] = [
  ['/paths/~1users~1{userId}~1meetings/post/responses/201/schema/allOf/0/properties/id', { type: 'integer' }],
  ['/paths/~1meetings~1{meetingId}/get/responses/200/schema/allOf/0/properties/id', { type: 'integer' }],
  ['/definitions/MeetingList/allOf/1/properties/meetings/items/allOf/0/properties/id', { type: 'integer' }],
  ['/paths/~1meetings~1{meetingId}~1registrants/post/responses/201/schema/properties/id', { type: 'integer' }],
  ['/definitions/RecordingMeeting/allOf/0/properties/id', { type: 'integer' }],
  ['/definitions/RecordingMeeting/allOf/0/properties/total_size', { type: 'integer' }],
  ['/definitions/RecordingMeeting/allOf/0/properties/recording_count', { type: 'integer' }],
  ['/definitions/User/properties/pmi', { type: 'integer' }],
  ['/paths/~1past_meetings~1{meetingUUID}~1participants/get/responses/200/schema/allOf/1/properties/participants/items/properties/id', { type: 'string' }],
];
for (const [pointer, schema] of todaysZoom) replaceAt(spec, pointer, schema);

/** Zoom's error body on every 4xx and 5xx (https://developers.zoom.us/docs/api/rest/error-definitions/). */
const zoomErrorBody = { type: 'object', required: ['code', 'message'], properties: { code: { type: 'integer' }, message: { type: 'string' } } };

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
// The spec writes `format: "string"` on a few string fields: no format at all.
ajv.addFormat('string', true);
const compiled = new Map<string, ValidateFunction>();

function replaceAt(document: object, pointer: string, value: object) {
  const keys = pointer.slice(1).split('/').map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = keys.pop()!;
  const parent = keys.reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, document as Record<string, unknown>);
  if (!(last in parent)) throw new Error(`${pointer} is not in Zoom's spec`);
  parent[last] = value;
}

function validatorOf(key: string, schema: object): ValidateFunction {
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile({ ...schema, definitions: spec.definitions });
    compiled.set(key, validate);
  }
  return validate;
}

function findOperation(method: string, path: string) {
  const relative = path.startsWith(spec.basePath) ? path.slice(spec.basePath.length) : path;
  for (const [template, operations] of Object.entries(spec.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    const operation = operations[method.toLowerCase()];
    if (pattern.test(relative) && operation) return { template, operation };
  }
  return undefined;
}

/**
 * Checks a request our client sent against Zoom's OpenAPI spec (test/contracts/zoom): the
 * method and path are an operation of the spec, and the JSON body satisfies its body schema.
 * Returns the problems found (empty when it conforms).
 */
export function zoomContractProblems(request: ReceivedRequest): string[] {
  const found = findOperation(request.method, request.path);
  if (!found) return [`${request.method} ${request.path} is no operation of Zoom's API`];
  const bodyParameter = found.operation.parameters?.find((parameter) => parameter.in === 'body');
  if (!bodyParameter?.schema) return request.body === undefined || request.body === null ? [] : [`${found.template} takes no body`];
  const validate = validatorOf(`${request.method} ${found.template} body`, bodyParameter.schema);
  return validate(request.body) ? [] : (validate.errors ?? []).map((error) => `${found.template} body${error.instancePath} ${error.message}`);
}

/**
 * Checks the emulator's answer to a request against the same spec: a success status the
 * operation declares, with a body that satisfies that status's schema (no body where it declares
 * none); an error status with Zoom's `{ code, message }`. Returns the problems found.
 */
export function zoomResponseProblems(exchange: ReceivedRequest): string[] {
  const { method, path, response } = exchange;
  if (!response) return [`${method} ${path} got no recorded answer`];
  const found = findOperation(method, path);
  if (!found) return [`${method} ${path} is no operation of Zoom's API`];
  const where = `${method} ${found.template} ${response.status}`;
  if (response.status >= 400) return problemsOf(validatorOf('error', zoomErrorBody), response.body, where);
  const declared = found.operation.responses[String(response.status)];
  if (!declared) return [`${where} is not an answer the spec declares (${Object.keys(found.operation.responses).join(', ')})`];
  if (!declared.schema) return response.body === undefined || response.body === '' ? [] : [`${where} has a body where the spec declares none`];
  return problemsOf(validatorOf(where, declared.schema), response.body, where);
}

function problemsOf(validate: ValidateFunction, body: unknown, where: string): string[] {
  return validate(body) ? [] : (validate.errors ?? []).map((error) => `${where} body${error.instancePath} ${error.message}`);
}
