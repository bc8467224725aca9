import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

interface ResponseDoc {
  $ref?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: object }>;
}
interface OperationDoc {
  operationId?: string;
  responses: Record<string, ResponseDoc>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationDoc>>;
  components: { schemas: Record<string, object>; responses?: Record<string, ResponseDoc>; headers?: Record<string, unknown> };
}

/** Headers of ours that a response may carry only where the document declares them. */
const documentedHeaders = ['x-request-id', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after', 'location', 'idempotent-replayed', 'content-disposition', 'x-content-sha256'];

/**
 * Checks real answers against the OpenAPI document the server serves: the operation exists, it
 * declares the status, the JSON body validates against the schema for that status (ajv 2020 with
 * formats; an error's `code` among the route's documented codes), and every header of ours that
 * was sent is declared for that answer.
 */
export function createDocumentChecker(document: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: 'atas', components: document.components });
  const validators = new Map<string, ValidateFunction>();
  const templates = Object.keys(document.paths).map((template) => ({ template, pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));

  const resolved = (response: ResponseDoc): ResponseDoc => (response.$ref ? document.components.responses![response.$ref.split('/').pop()!]! : response);
  const withGlobalRefs = (schema: object) => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"atas#/components/')) as object;

  function operationOf(method: string, path: string) {
    const { pathname } = new URL(path, 'http://atas');
    // A literal path wins over a template (`/v1/integrations/status` over `/v1/integrations/{provider}`).
    const matches = templates.filter(({ pattern, template }) => pattern.test(pathname) && document.paths[template]![method.toLowerCase()]);
    const found = matches.find(({ template }) => !template.includes('{')) ?? matches[0];
    return found && { template: found.template, operation: document.paths[found.template]![method.toLowerCase()]! };
  }

  return {
    /** What is undocumented about this answer; empty when the document says it all. */
    problemsOf(request: { method: string; path: string }, response: { status: number; headers: Headers; body?: unknown }): string[] {
      const found = operationOf(request.method, request.path);
      if (!found) return [`${request.method} ${request.path}: no such operation`];
      const name = `${found.operation.operationId ?? found.template} → ${response.status}`;
      const declared = found.operation.responses[String(response.status)];
      if (!declared) return [`${name}: status not documented`];
      const answer = resolved(declared);
      const problems: string[] = [];
      for (const header of documentedHeaders) {
        if (!response.headers.has(header)) continue;
        const isDeclared = Object.keys(answer.headers ?? {}).some((key) => key.toLowerCase() === header);
        if (!isDeclared) problems.push(`${name}: header ${header} not documented`);
      }
      const contentType = response.headers.get('content-type')?.split(';')[0];
      if (contentType !== 'application/json') {
        if (contentType && !Object.keys(answer.content ?? {}).some((type) => type.startsWith(contentType))) problems.push(`${name}: ${contentType} not documented`);
        return problems;
      }
      const schema = answer.content?.['application/json']?.schema;
      if (!schema) return [...problems, `${name}: JSON body not documented`];
      const key = `${found.template} ${request.method} ${response.status}`;
      const validate = validators.get(key) ?? ajv.compile(withGlobalRefs(schema));
      validators.set(key, validate);
      if (!validate(response.body)) problems.push(...(validate.errors ?? []).map((error) => `${name}: body${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`));
      return problems;
    },
  };
}
