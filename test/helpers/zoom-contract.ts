import fs from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { ReceivedRequest } from '../../emulators/zoom/zoom-emulator.js';

interface SwaggerOperation {
  parameters?: { in: string; name: string; schema?: object; $ref?: string }[];
}

const spec = JSON.parse(fs.readFileSync(new URL('../contracts/zoom/openapi.v2.json', import.meta.url), 'utf8')) as {
  basePath: string;
  paths: Record<string, Record<string, SwaggerOperation>>;
  definitions: Record<string, object>;
};
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);

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
  const validate = ajv.compile({ ...bodyParameter.schema, definitions: spec.definitions });
  return validate(request.body) ? [] : (validate.errors ?? []).map((error) => `${found.template} body${error.instancePath} ${error.message}`);
}
