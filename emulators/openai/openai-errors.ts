import { randomBytes } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { strictSchemaProblem } from './json-schema-value.js';
import { EMULATOR_NOTE, textOf, type Api, type Generation } from './answer.js';

/** OpenAI's error bodies, the checks it makes before it answers, and its key check. */

// https://platform.openai.com/docs/guides/error-codes
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function openAIError(message: string, param: string | null = null, code: string | null = null, type = 'invalid_request_error'): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

export type RequestParse<Request> = { request: Request } | { error: OpenAIErrorBody };

/** OpenAI's wording for a missing parameter; the first zod issue otherwise. */
export function parseRequest<Schema extends z.ZodType>(schema: Schema, body: unknown): RequestParse<z.output<Schema>> {
  const parsed = schema.safeParse(body, { reportInput: true });
  if (parsed.success) return { request: parsed.data };
  const issue = parsed.error.issues[0]!;
  const param = issue.path.map((key, position) => (typeof key === 'number' ? `[${key}]` : `${position ? '.' : ''}${String(key)}`)).join('');
  if (issue.code === 'invalid_type' && issue.input === undefined) return { error: openAIError(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter') };
  return { error: openAIError(`Invalid '${param}': ${issue.message}.`, param, 'invalid_value') };
}

export function strictSchemaError({ strictSchemas }: Generation): OpenAIErrorBody | undefined {
  for (const { label, param, schema } of strictSchemas) {
    const problem = strictSchemaProblem(schema);
    if (problem) return openAIError(`Invalid schema for ${label}: ${problem}`, param);
  }
  return undefined;
}

/** JSON mode without a schema asks the prompt to mention JSON, or OpenAI refuses the request. */
export function jsonModeError({ format, messages }: Generation, api: Api): OpenAIErrorBody | undefined {
  if (format.type !== 'json' || format.schema || messages.some((message) => /json/i.test(textOf(message)))) return undefined;
  if (api === 'chat') return openAIError("'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", 'messages');
  return openAIError("Response input messages must contain the word 'json' in some form to use 'text.format' of type 'json_object'.", 'input');
}

/** A tool choice that names no tool given is refused, as OpenAI refuses it. */
export function toolChoiceError({ tools, toolChoice }: Generation): OpenAIErrorBody | undefined {
  if (toolChoice === 'auto' || toolChoice === 'none') return undefined;
  if (tools.length === 0) return openAIError("Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", 'tool_choice');
  if (typeof toolChoice === 'object' && !tools.some((tool) => tool.name === toolChoice.name)) {
    return openAIError(`Invalid value for 'tool_choice': no function named '${toolChoice.name}' was specified in the 'tools' parameter.`, 'tool_choice');
  }
  return undefined;
}

export function contextLengthError(generation: Generation, promptTokens: number, limit: number, api: Api): OpenAIErrorBody | undefined {
  const completionTokens = generation.maxTokens ?? 0;
  const requested = promptTokens + completionTokens;
  if (requested <= limit) return undefined;
  return openAIError(
    `This model's maximum context length is ${limit} tokens. However, you requested ${requested} tokens (${promptTokens} in the messages, ${completionTokens} in the completion). Please reduce the length of the messages or completion.`,
    api === 'chat' ? 'messages' : 'input',
    'context_length_exceeded',
  );
}

function maskKey(key: string): string {
  return key.length <= 8 ? '*'.repeat(key.length) : `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`;
}

function invalidKeyError(key: string | undefined): OpenAIErrorBody {
  const message = key
    ? `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`
    : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
  return openAIError(message, null, 'invalid_api_key');
}

export function failureBodyOf(status: number, apiKey: string): OpenAIErrorBody {
  if (status === 401) return invalidKeyError(apiKey);
  if (status === 429) return openAIError(`Rate limit reached for requests (emulated by the ${EMULATOR_NOTE}). Please try again later.`, null, 'rate_limit_exceeded', 'requests');
  if (status >= 500) return openAIError(`The server had an error while processing your request (emulated by the ${EMULATOR_NOTE}).`, null, null, 'server_error');
  return openAIError(`Emulated failure ${status} (${EMULATOR_NOTE}).`);
}

/** OpenAI's key check, rate-limit headers and error bodies, also for what Fastify answers itself (bad JSON, unknown URL). */
export function installKeyCheckAndErrors(app: FastifyInstance, apiKey: string) {
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/v1/')) return;
    const key = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (key !== apiKey) return reply.status(401).send(invalidKeyError(key));
  });

  // OpenAI's request id on every answer (the SDK shows it as `_request_id`), and its rate-limit
  // headers beside Retry-After, which the failure switches set.
  app.addHook('onSend', async (_request, reply, payload) => {
    void reply.header('x-request-id', `req_emu_${randomBytes(12).toString('hex')}`);
    const retryAfter = reply.getHeader('retry-after');
    if (reply.statusCode === 429 && retryAfter !== undefined) {
      void reply.header('x-ratelimit-remaining-requests', '0').header('x-ratelimit-reset-requests', `${String(retryAfter)}s`);
    }
    return payload;
  });

  app.setNotFoundHandler((request: FastifyRequest, reply) => reply.status(404).send(openAIError(`Invalid URL (${request.method} ${request.url})`)));
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) return reply.status(500).send(failureBodyOf(500, apiKey));
    const message = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.' : error.message;
    return reply.status(status).send(openAIError(message));
  });
}

export function responseNotFoundError(id: string): OpenAIErrorBody {
  return openAIError(`Response with id '${id}' not found.`);
}

export function previousResponseNotFoundError(id: string): OpenAIErrorBody {
  return openAIError(`Previous response with id '${id}' not found.`, 'previous_response_id', 'previous_response_not_found');
}
