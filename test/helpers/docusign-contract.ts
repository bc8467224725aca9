import fs from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { DocuSignReceivedRequest } from '../../emulators/docusign/docusign-emulator.js';

interface SwaggerParameter {
  in: string;
  name: string;
  schema?: object;
}

interface SwaggerOperation {
  parameters?: SwaggerParameter[];
  responses?: Record<string, { schema?: object }>;
}

const readContract = (name: string): unknown => JSON.parse(fs.readFileSync(new URL(`../contracts/docusign/${name}`, import.meta.url), 'utf8'));
const spec = readContract('esignature.rest.swagger-v2.1.json') as {
  basePath: string;
  paths: Record<string, Record<string, SwaggerOperation>>;
  definitions: Record<string, object>;
};
// The vendored spec refers to #/definitions/offlineAttributes but never defines it (DocuSign's
// "reserved" signer field): an empty definition here, in memory only, lets Ajv resolve the ref.
spec.definitions.offlineAttributes ??= {};

// The definitions reference one another hundreds of times: compiled as calls to each other rather
// than inlined into every schema that names them, and unoptimised, a validator compiles ~4x faster
// (~7 s of CPU to ~2 s for the operations the tests use); what it accepts is the same.
const ajv = new Ajv({ strict: false, allErrors: true, logger: false, inlineRefs: false, code: { optimize: false } });
addFormats.default(ajv);
ajv.addSchema({ definitions: spec.definitions }, 'docusign');
// Answers are held to the definitions closed: a field the swagger does not name is one DocuSign
// does not send, and one an SDK model drops.
ajv.addSchema({ definitions: closedDefinitions(spec.definitions) }, 'docusign-answers');
const validators = new Map<string, ValidateFunction>();

function closedDefinitions(definitions: Record<string, object>): Record<string, object> {
  return Object.fromEntries(
    Object.entries(definitions).map(([name, definition]) => [name, 'properties' in definition && !('additionalProperties' in definition) ? { ...definition, additionalProperties: false } : definition]),
  );
}

// Templates with fewer placeholders first, so a literal segment wins over `{documentId}`.
const templates = Object.keys(spec.paths)
  .map((template) => ({ template, pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`), placeholders: template.split('{').length }))
  .sort((a, b) => a.placeholders - b.placeholders);

function findOperation(method: string, relativePath: string) {
  for (const { template, pattern } of templates) {
    const operation = spec.paths[template]?.[method.toLowerCase()];
    if (operation && pattern.test(relativePath)) return { template, parameters: operation.parameters ?? [], responses: operation.responses ?? {} };
  }
  return undefined;
}

function validatorFor(key: string, schema: object, registered = 'docusign'): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    // Body schemas are `$ref: #/definitions/x`: point them into the schema registered above.
    validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/definitions/', `"${registered}#/definitions/`)) as object);
    validators.set(key, validate);
  }
  return validate;
}

/**
 * Checks a request our client sent against DocuSign's eSignature swagger (test/contracts/docusign):
 * the method and path are an operation under `/restapi`, every query parameter is one the
 * operation declares, and the JSON body satisfies its body schema. Returns the problems found.
 */
export function docusignContractProblems(request: DocuSignReceivedRequest): string[] {
  if (!request.path.startsWith(`${spec.basePath}/`)) return [`${request.path} is outside ${spec.basePath}`];
  const found = findOperation(request.method, request.path.slice(spec.basePath.length));
  if (!found) return [`${request.method} ${request.path} is no operation of DocuSign's eSignature API`];
  const declared = new Set(found.parameters.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name));
  const problems = Object.keys(request.query)
    .filter((name) => !declared.has(name))
    .map((name) => `${found.template} takes no query parameter ${name}`);
  const bodySchema = found.parameters.find((parameter) => parameter.in === 'body')?.schema;
  if (!bodySchema) return request.body === undefined || request.body === null ? problems : [...problems, `${found.template} takes no body`];
  const validate = validatorFor(`${request.method} ${found.template}`, bodySchema);
  if (!validate(request.body)) problems.push(...(validate.errors ?? []).map((error) => `${found.template} body${error.instancePath} ${error.message}`));
  return problems;
}

/**
 * Checks an answer of the emulator against the response schema DocuSign's swagger declares for
 * its operation and status; the schemas are closed, so a field DocuSign does not document is a
 * problem too. Every error is errorDetails: the swagger declares it under 400 only, and DocuSign
 * answers a bad token (401) with it as well. Returns the problems found.
 */
export function docusignResponseProblems(request: DocuSignReceivedRequest): string[] {
  const found = request.path.startsWith(`${spec.basePath}/`) ? findOperation(request.method, request.path.slice(spec.basePath.length)) : undefined;
  if (!found) return [`${request.method} ${request.path} is no operation of DocuSign's eSignature API`];
  if (!request.answer) return [`${found.template} was not answered`];
  const { status, body } = request.answer;
  const declared = found.responses[String(status)] ?? (status >= 400 ? found.responses['400'] : undefined);
  if (!declared) return [`${request.method} ${found.template} declares no ${status} answer`];
  if (!declared.schema) return body === undefined ? [] : [`${found.template} answers ${status} with no body`];
  if (body === undefined) return [`${found.template} answered ${status} without the JSON body it declares`];
  const validate = validatorFor(`${request.method} ${found.template} ${status}`, declared.schema, 'docusign-answers');
  return validate(body) ? [] : (validate.errors ?? []).map((error) => `${found.template} ${status} answer${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`);
}

/**
 * DocuSign documents Connect's JSON SIM message by an example (connect.schema-v2.json): the schema
 * of a value is the example's shape, every object closed to the fields the example shows, an
 * array's items shaped by all of the example's items together, `{}` standing for any object.
 */
function schemaOfExample(example: unknown): object {
  if (Array.isArray(example)) {
    const objects = example.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item));
    const items = objects.length > 0 ? schemaOfExample(Object.assign({}, ...objects)) : example.length > 0 ? schemaOfExample(example[0]) : {};
    return { type: 'array', items };
  }
  if (typeof example === 'object' && example !== null) {
    const entries = Object.entries(example);
    if (entries.length === 0) return { type: 'object' };
    return { type: 'object', properties: Object.fromEntries(entries.map(([key, value]) => [key, schemaOfExample(value)])), additionalProperties: false };
  }
  return example === null ? {} : { type: typeof example };
}

const validateConnectMessage = ajv.compile(schemaOfExample(readContract('connect.schema-v2.json')));

/** Checks a Connect message (its parsed JSON) against DocuSign's JSON SIM model. Returns the problems found. */
export function connectMessageProblems(message: unknown): string[] {
  return validateConnectMessage(message) ? [] : (validateConnectMessage.errors ?? []).map((error) => `message${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`);
}
