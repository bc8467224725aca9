import fs from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

export type OpenAISchemaName =
  | 'CreateChatCompletionRequest'
  | 'CreateChatCompletionResponse'
  | 'CreateChatCompletionStreamResponse'
  | 'ErrorResponse'
  | 'ListModelsResponse';

interface OpenAPIResponse {
  $ref?: string;
  content?: Record<string, { schema?: unknown }>;
}
interface OpenAPIDocument {
  paths: Record<string, Record<string, { responses?: Record<string, OpenAPIResponse> }>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, OpenAPIResponse> };
}

/**
 * The spec is OpenAPI 3.1 but keeps 3.0's `nullable` in places: Ajv refuses it without `type`
 * (24 schemas, see SOURCES.md) and does not add null to an `enum` beside it. The derived copy
 * says the same in JSON Schema: the value, or null.
 */
function withNullAsJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withNullAsJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const converted = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, withNullAsJsonSchema(value)]));
  return nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted;
}

// The document is ~3 MB of YAML (about a second to parse): read on first use, and each schema
// compiled once, when first asked for (Ajv keeps what getSchema compiled).
let loaded: { spec: OpenAPIDocument; ajv: Ajv } | undefined;
function contract() {
  if (loaded) return loaded;
  const spec = withNullAsJsonSchema(parse(fs.readFileSync(new URL('../contracts/openai/openapi.yaml', import.meta.url), 'utf8'))) as OpenAPIDocument;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addFormat('unixtime', { type: 'number', validate: Number.isInteger });
  // One document holding every schema, so `$ref: '#/components/schemas/X'` resolves inside it.
  ajv.addSchema({ $id: 'openai', components: spec.components, paths: spec.paths });
  loaded = { spec, ajv };
  return loaded;
}

function problemsOf(validate: ValidateFunction, value: unknown, label: string): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((error) => `${label}${error.instancePath} ${error.message}`);
}

/**
 * Checks a value against a schema of OpenAI's OpenAPI spec (test/contracts/openai): a request our
 * app sends, or an answer, stream chunk or error the emulator gives. Returns the problems found.
 */
export function openAIContractProblems(schema: OpenAISchemaName, value: unknown): string[] {
  const validate = contract().ajv.getSchema(`openai#/components/schemas/${schema}`);
  if (!validate) return [`${schema} is no schema of OpenAI's spec`];
  return problemsOf(validate, value, schema);
}

const pointerToken = (token: string) => encodeURIComponent(token.replace(/~/g, '~0').replace(/\//g, '~1'));

/** The spec's path for a request path under /v1: a literal path before a template (`/responses/compact` before `/responses/{response_id}`). */
function templateOf(spec: OpenAPIDocument, path: string): string | undefined {
  const templates = Object.keys(spec.paths).filter((template) => !template.includes('?'));
  const matches = (template: string) => new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path);
  return templates.find((template) => template === path) ?? templates.find(matches);
}

type ContentType = 'application/json' | 'text/event-stream';

/**
 * Where the spec declares the schema of an answer: under the operation, or under the shared
 * response it names. The spec declares few error statuses (429 mostly); any other error gets
 * `ErrorResponse`, the error object OpenAI documents for all (https://platform.openai.com/docs/guides/error-codes).
 */
function schemaPointerOf(spec: OpenAPIDocument, operation: { template: string; method: string }, status: number, contentType: ContentType): string | undefined {
  const declared = spec.paths[operation.template]?.[operation.method]?.responses?.[String(status)];
  const shared = declared?.$ref?.replace('#/components/responses/', '');
  const response = shared ? spec.components.responses[shared] : declared;
  const base = shared ? `#/components/responses/${pointerToken(shared)}` : `#/paths/${pointerToken(operation.template)}/${operation.method}/responses/${status}`;
  if (response?.content?.[contentType]?.schema) return `${base}/content/${pointerToken(contentType)}/schema`;
  return status >= 400 && contentType === 'application/json' ? '#/components/schemas/ErrorResponse' : undefined;
}

/**
 * Checks a body the emulator answered against the schema OpenAI's spec declares for that
 * operation, status and content type (`text/event-stream`: one event of the stream); `undefined`
 * for an answer without a body. Returns the problems found.
 */
export function openAIResponseProblems(request: { method: string; path: string }, answer: { status: number; body: unknown; contentType?: ContentType }): string[] {
  const { spec, ajv } = contract();
  const path = request.path.replace(/^\/v1(?=\/)/, '').replace(/\?.*$/, '');
  const method = request.method.toLowerCase();
  const template = templateOf(spec, path);
  if (!template || !spec.paths[template]?.[method]) return [`${request.method} ${path} is no operation of OpenAI's API`];
  const contentType = answer.contentType ?? 'application/json';
  const label = `${request.method} ${path} ${answer.status}`;
  const pointer = schemaPointerOf(spec, { template, method }, answer.status, contentType);
  if (!pointer) return answer.body === undefined ? [] : [`${label} declares no ${contentType} answer`];
  const validate = ajv.getSchema(`openai${pointer}`);
  if (!validate) return [`${label}: ${pointer} is no schema of OpenAI's spec`];
  return problemsOf(validate, answer.body, label);
}
