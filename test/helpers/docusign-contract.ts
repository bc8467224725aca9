import fs from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import type { DocuSignReceivedRequest } from '../../emulators/docusign/docusign-emulator.js';

interface SwaggerParameter {
  in: string;
  name: string;
  schema?: object;
}

const spec = JSON.parse(fs.readFileSync(new URL('../contracts/docusign/esignature.rest.swagger-v2.1.json', import.meta.url), 'utf8')) as {
  basePath: string;
  paths: Record<string, Record<string, { parameters?: SwaggerParameter[] }>>;
  definitions: Record<string, object>;
};
// The vendored spec refers to #/definitions/offlineAttributes but never defines it (DocuSign's
// "reserved" signer field): an empty definition here, in memory only, lets Ajv resolve the ref.
spec.definitions.offlineAttributes ??= {};

const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
ajv.addSchema({ definitions: spec.definitions }, 'docusign');
const validators = new Map<string, ValidateFunction>();

// Templates with fewer placeholders first, so a literal segment wins over `{documentId}`.
const templates = Object.keys(spec.paths)
  .map((template) => ({ template, pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`), placeholders: template.split('{').length }))
  .sort((a, b) => a.placeholders - b.placeholders);

function findOperation(method: string, relativePath: string) {
  for (const { template, pattern } of templates) {
    const operation = spec.paths[template]?.[method.toLowerCase()];
    if (operation && pattern.test(relativePath)) return { template, parameters: operation.parameters ?? [] };
  }
  return undefined;
}

function validatorFor(key: string, schema: object): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    // Body schemas are `$ref: #/definitions/x`: point them into the schema registered above.
    validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/definitions/', '"docusign#/definitions/')) as object);
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
