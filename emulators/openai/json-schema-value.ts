/**
 * JSON schemas as structured outputs and function calls use them
 * (https://platform.openai.com/docs/guides/structured-outputs#supported-schemas): a value that
 * satisfies one, and what OpenAI refuses in a strict one. Values are deterministic; strings name
 * the field they fill. Every keyword of that subset is honoured except `pattern`: a string
 * matching any regular expression is beyond an emulator.
 */

type JsonSchema = Record<string, unknown>;

interface Context {
  root: unknown;
  /** Objects and arrays entered so far. */
  depth: number;
  /** The property the value fills, for strings that say what they are. */
  name: string;
}

// Past this depth only what the schema requires is generated, so recursive schemas end.
const FULL_DEPTH = 4;

const FORMATTED: Record<string, string> = {
  'date-time': '2030-01-15T09:30:00Z',
  date: '2030-01-15',
  time: '09:30:00Z',
  duration: 'P1D',
  email: 'emulator@example.com',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  uuid: '00000000-0000-4000-8000-000000000000',
  uri: 'https://example.com/',
};

export function valueOfSchema(schema: unknown): unknown {
  return valueOf(schema, { root: schema, depth: 0, name: 'value' });
}

function valueOf(schema: unknown, context: Context): unknown {
  if (typeof schema !== 'object' || schema === null) return context.name; // `true`: anything goes
  const node = schema as JsonSchema;
  if (typeof node.$ref === 'string') return valueOf(resolve(context.root, node.$ref), context);
  if ('const' in node) return node.const;
  if (Array.isArray(node.enum)) return node.enum[0];
  const branches = node.anyOf ?? node.oneOf;
  if (Array.isArray(branches)) return valueOf(branchOf(branches, context), context);
  switch (typeOf(node, context)) {
    case 'null':
      return null;
    case 'boolean':
      return true;
    case 'integer':
      return numberOf(node, true);
    case 'number':
      return numberOf(node, false);
    case 'array':
      return arrayOf(node, context);
    case 'object':
      return objectOf(node, context);
    default:
      return stringOf(node, context.name);
  }
}

/** A local JSON pointer (`#/$defs/Node`, `#/definitions/Node`), the only kind structured outputs accept. */
function resolve(root: unknown, ref: string): unknown {
  const tokens = ref.replace(/^#\/?/, '').split('/').filter(Boolean);
  return tokens.reduce<unknown>((node, token) => (node as JsonSchema)[decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~')], root);
}

const allowsNull = (schema: unknown) => (schema as JsonSchema).type === 'null';

/** The first branch that is not null, or, deep in a recursive schema, the null one that ends it. */
function branchOf(branches: unknown[], context: Context): unknown {
  const isDeep = context.depth >= FULL_DEPTH;
  return branches.find((branch) => allowsNull(branch) === isDeep) ?? branches[0];
}

function typeOf(node: JsonSchema, context: Context): string {
  if (Array.isArray(node.type)) {
    const types = node.type as string[];
    const isDeep = context.depth >= FULL_DEPTH;
    return types.find((type) => (type === 'null') === isDeep) ?? types[0]!;
  }
  if (typeof node.type === 'string') return node.type;
  if (node.properties) return 'object';
  return node.items ? 'array' : 'string';
}

/** The middle of the bounds (a step inside a single bound, 1 without any), on the grid of `multipleOf`. */
function numberOf(node: JsonSchema, isInteger: boolean): number {
  const low = (node.minimum ?? node.exclusiveMinimum) as number | undefined;
  const high = (node.maximum ?? node.exclusiveMaximum) as number | undefined;
  const target = low !== undefined && high !== undefined ? (low + high) / 2 : low !== undefined ? low + 1 : high !== undefined ? high - 1 : 1;
  const step = (node.multipleOf as number | undefined) ?? (isInteger ? 1 : undefined);
  return step === undefined ? target : Math.round(target / step) * step;
}

function stringOf(node: JsonSchema, name: string): string {
  const formatted = typeof node.format === 'string' ? FORMATTED[node.format] : undefined;
  if (formatted) return formatted;
  const minLength = (node.minLength as number | undefined) ?? 0;
  const maxLength = (node.maxLength as number | undefined) ?? Infinity;
  return `emulated ${name}`.padEnd(minLength, '.').slice(0, maxLength);
}

function arrayOf(node: JsonSchema, context: Context): unknown[] {
  const minItems = (node.minItems as number | undefined) ?? 0;
  const maxItems = (node.maxItems as number | undefined) ?? Infinity;
  const count = context.depth >= FULL_DEPTH ? minItems : Math.max(minItems, Math.min(1, maxItems));
  const inner = { ...context, depth: context.depth + 1 };
  const prefix = (node.prefixItems as unknown[] | undefined) ?? [];
  return Array.from({ length: count }, (_, index) => valueOf(prefix[index] ?? node.items, inner));
}

function objectOf(node: JsonSchema, context: Context): Record<string, unknown> {
  const properties = (node.properties as Record<string, unknown> | undefined) ?? {};
  const required = new Set((node.required as string[] | undefined) ?? []);
  const keys = Object.keys(properties).filter((key) => context.depth < FULL_DEPTH || required.has(key));
  return Object.fromEntries(keys.map((key) => [key, valueOf(properties[key], { ...context, depth: context.depth + 1, name: key })]));
}

const isObjectSchema = (node: JsonSchema) => node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object')) || 'properties' in node;

type Child = [path: string[], schema: unknown];

/** The subschemas of a node, each with the path OpenAI names it by. */
function childrenOf(node: JsonSchema): Child[] {
  const keyed = (keyword: string) => Object.entries((node[keyword] ?? {}) as Record<string, unknown>).map(([key, child]): Child => [[keyword, key], child]);
  const listed = (keyword: string) => ((node[keyword] ?? []) as unknown[]).map((child, index): Child => [[keyword, String(index)], child]);
  const items: Child[] = node.items ? [[['items'], node.items]] : [];
  return [...keyed('properties'), ...keyed('$defs'), ...keyed('definitions'), ...listed('anyOf'), ...items];
}

/**
 * What OpenAI refuses in a strict schema: an object that is not closed (`additionalProperties:
 * false`) or leaves a property out of `required`. Its words, or undefined when the schema passes.
 */
export function strictSchemaProblem(schema: unknown, path: string[] = []): string | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const node = schema as JsonSchema;
  const where = `In context=(${path.map((key) => `'${key}'`).join(', ')})`;
  if (isObjectSchema(node)) {
    if (node.additionalProperties !== false) return `${where}, 'additionalProperties' is required to be supplied and to be false.`;
    const required = (node.required as string[] | undefined) ?? [];
    const missing = Object.keys(node.properties ?? {}).find((key) => !required.includes(key));
    if (missing) return `${where}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing}'.`;
  }
  for (const [keys, child] of childrenOf(node)) {
    const problem = strictSchemaProblem(child, [...path, ...keys]);
    if (problem) return problem;
  }
  return undefined;
}
