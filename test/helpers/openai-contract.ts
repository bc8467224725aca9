import fs from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

export type OpenAISchemaName =
  | 'CreateChatCompletionRequest'
  | 'CreateChatCompletionResponse'
  | 'CreateChatCompletionStreamResponse'
  | 'ErrorResponse'
  | 'ListModelsResponse';

const spec = parse(fs.readFileSync(new URL('../contracts/openai/openapi.yaml', import.meta.url), 'utf8')) as {
  components: { schemas: Record<string, unknown> };
};

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

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addFormat('unixtime', { type: 'number', validate: Number.isInteger });
// One document holding every schema, so `$ref: '#/components/schemas/X'` resolves inside it.
ajv.addSchema({ $id: 'openai', components: { schemas: withNullAsJsonSchema(spec.components.schemas) } });

/**
 * Checks a value against a schema of OpenAI's OpenAPI spec (test/contracts/openai): a request our
 * app sends, or an answer, stream chunk or error the emulator gives. Returns the problems found.
 */
export function openAIContractProblems(schema: OpenAISchemaName, value: unknown): string[] {
  const validate = ajv.getSchema(`openai#/components/schemas/${schema}`);
  if (!validate) return [`${schema} is no schema of OpenAI's spec`];
  return validate(value) ? [] : (validate.errors ?? []).map((error) => `${schema}${error.instancePath} ${error.message}`);
}
