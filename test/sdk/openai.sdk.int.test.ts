import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import OpenAI from 'openai';
import { LengthFinishReasonError } from 'openai/core/error';
import { zodFunction, zodResponseFormat, zodResponsesFunction, zodTextFormat } from 'openai/helpers/zod';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators/openai/openai-emulator.js';
import { openAIResponseProblems } from '../helpers/openai-contract.js';

/**
 * The official `openai` SDK against the emulator, as a developer would use it: every call
 * succeeds, or fails with the error class OpenAI documents. Every answer that crosses the wire is
 * checked against OpenAI's OpenAPI spec, stream events one by one.
 */

const apiKey = 'sk-emulated-sdk-test-0123456789';
const model = 'gpt-4o-mini';
const hello = [{ role: 'user' as const, content: 'Say hello.' }];

interface Exchange {
  method: string;
  path: string;
  status: number;
  contentType: string;
  body: string;
}

/** The answer's events: the JSON after `data:` in each server-sent event, but the closing [DONE]. */
function eventsOf(body: string): unknown[] {
  return body
    .split('\n\n')
    .flatMap((event) => event.split('\n').filter((line) => line.startsWith('data: ')))
    .map((line) => line.slice('data: '.length))
    .filter((data) => data !== '[DONE]')
    .map((data) => JSON.parse(data) as unknown);
}

function contractProblemsOf(exchange: Exchange): string[] {
  const request = { method: exchange.method, path: exchange.path };
  if (!exchange.contentType.startsWith('text/event-stream')) {
    return openAIResponseProblems(request, { status: exchange.status, body: exchange.body === '' ? undefined : JSON.parse(exchange.body) });
  }
  return eventsOf(exchange.body).flatMap((event) => openAIResponseProblems(request, { status: exchange.status, body: event, contentType: 'text/event-stream' }));
}

/** Problems of `value` against the JSON schema a request asked for. */
function schemaProblems(schema: object, value: unknown): string[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

// A schema with most of what structured outputs accept: nested objects, arrays, enums, bounded
// numbers, nullable fields, a discriminated union (anyOf) and shared definitions ($ref).
const Address = z.object({ street: z.string(), city: z.string(), postcode: z.string().nullable() });
const Invoice = z.object({
  number: z.string(),
  status: z.enum(['draft', 'sent', 'paid']),
  issued: z.iso.date(),
  customer: z.object({ name: z.string(), email: z.email(), billing: Address, shipping: Address.nullable() }),
  lines: z.array(z.object({ description: z.string(), quantity: z.number().int().min(1).max(99), unitPrice: z.number().gt(0).lte(10_000) })).min(1),
  discount: z.number().min(0).max(0.5).nullable(),
  payment: z.discriminatedUnion('method', [z.object({ method: z.literal('card'), last4: z.string() }), z.object({ method: z.literal('transfer'), iban: z.string() })]),
  tags: z.array(z.string()),
  urgent: z.boolean(),
});

// Schemas a developer writes by hand, beyond what strict structured outputs accept.
const handWrittenSchemas: Record<string, object> = {
  'optional properties, bounds and formats': {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      when: { type: 'string', format: 'date-time' },
      code: { type: 'string', minLength: 12, maxLength: 16 },
      score: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      step: { type: 'integer', minimum: 10, maximum: 100, multipleOf: 7 },
      note: { type: ['string', 'null'] },
      kind: { const: 'fixed' },
    },
    required: ['id', 'code', 'score', 'step'],
  },
  'recursive $defs with anyOf': {
    type: 'object',
    properties: { root: { $ref: '#/$defs/node' } },
    required: ['root'],
    additionalProperties: false,
    $defs: {
      node: {
        type: 'object',
        properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/node' } }, parent: { anyOf: [{ $ref: '#/$defs/node' }, { type: 'null' }] } },
        required: ['label', 'children', 'parent'],
        additionalProperties: false,
      },
    },
  },
  'nested arrays, tuples and item counts': {
    type: 'object',
    properties: {
      points: { type: 'array', minItems: 3, maxItems: 5, items: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], minItems: 2 } },
      level: { enum: ['low', 'high'] },
    },
    required: ['points', 'level'],
  },
};

const weather = z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']), days: z.number().int().min(1).max(7) });
const searchParameters = { type: 'object', properties: { query: { type: 'string', minLength: 3 }, limit: { type: 'integer', minimum: 1, maximum: 50 } }, required: ['query'] };

describe('the openai SDK against the OpenAI emulator', () => {
  let emulator: OpenAIEmulator;
  let client: OpenAI;
  const exchanges: Exchange[] = [];

  /** The SDK's client, over a fetch that keeps a copy of every answer for the contract check. */
  const clientWith = (options: { apiKey?: string; maxRetries?: number } = {}) =>
    new OpenAI({
      apiKey: options.apiKey ?? apiKey,
      baseURL: emulator.url,
      maxRetries: options.maxRetries ?? 1,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        const url = new URL(input instanceof Request ? input.url : String(input));
        const contentType = response.headers.get('content-type') ?? '';
        exchanges.push({ method: init?.method ?? 'GET', path: url.pathname, status: response.status, contentType, body: await response.clone().text() });
        return response;
      },
    });

  beforeAll(async () => {
    emulator = await startOpenAIEmulator({ apiKey });
    client = clientWith();
  });
  afterEach(() => {
    emulator.reset();
    const seen = exchanges.splice(0);
    expect(seen.flatMap(contractProblemsOf)).toEqual([]);
  });
  afterAll(() => emulator.stop());

  describe('models', () => {
    it('lists the models and retrieves one', async () => {
      const ids = (await Array.fromAsync(client.models.list())).map((listed) => listed.id);
      expect(ids).toEqual(expect.arrayContaining([model, 'gpt-4.1-mini']));
      const retrieved = await client.models.retrieve(model);
      expect(retrieved).toMatchObject({ id: model, object: 'model' });
      expect(retrieved._request_id).toMatch(/^req_/);
    });

    it('answers 404 model_not_found for a model OpenAI does not have, in retrieve and in chat', async () => {
      await expect(client.models.retrieve('gpt-nonexistent')).rejects.toMatchObject({ constructor: OpenAI.NotFoundError, status: 404, code: 'model_not_found' });
      const error = await client.chat.completions.create({ model: 'gpt-nonexistent', messages: hello }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect(error).toMatchObject({ type: 'invalid_request_error', param: null, code: 'model_not_found', message: expect.stringContaining('`gpt-nonexistent` does not exist') });
    });
  });

  describe('chat completions', () => {
    it('answers plain text', async () => {
      const completion = await client.chat.completions.create({ model, messages: hello });
      expect(completion.choices[0]).toMatchObject({ index: 0, finish_reason: 'stop', message: { role: 'assistant', refusal: null } });
      expect(completion.choices[0]!.message.content).toContain('local OpenAI emulator');
      expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + completion.usage!.completion_tokens);
    });

    it('streams the same text, with usage last when include_usage is set', async () => {
      const plain = await client.chat.completions.create({ model, messages: hello });
      const stream = await client.chat.completions.create({ model, messages: hello, stream: true, stream_options: { include_usage: true } });
      const chunks = await Array.fromAsync(stream);
      expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(plain.choices[0]!.message.content);
      expect(chunks.at(-1)).toMatchObject({ choices: [], usage: plain.usage });

      const runner = client.chat.completions.stream({ model, messages: hello });
      expect(await runner.finalContent()).toBe(plain.choices[0]!.message.content);
    });

    it('answers structured outputs that follow any zod schema, parsed by the SDK', async () => {
      const completion = await client.chat.completions.parse({ model, messages: hello, response_format: zodResponseFormat(Invoice, 'invoice') });
      const { parsed, content } = completion.choices[0]!.message;
      expect(parsed).toEqual(Invoice.parse(JSON.parse(content!)));
      expect(parsed!.lines.length).toBeGreaterThanOrEqual(1);

      const withDefinitions = zodResponseFormat(z.object({ from: Address, to: Address }), 'route', { schemaDefinitions: { Address } });
      expect(JSON.stringify(withDefinitions.json_schema.schema)).toContain('$ref');
      const route = await client.chat.completions.parse({ model, messages: hello, response_format: withDefinitions });
      expect(route.choices[0]!.message.parsed!.to.city).toEqual(expect.any(String));
    });

    it.each(Object.entries(handWrittenSchemas))('answers JSON that a hand-written schema accepts: %s', async (name, schema) => {
      const completion = await client.chat.completions.create({
        model,
        messages: hello,
        response_format: { type: 'json_schema', json_schema: { name: name.replace(/\W+/g, '_'), schema: schema as Record<string, unknown>, strict: false } },
      });
      expect(schemaProblems(schema, JSON.parse(completion.choices[0]!.message.content!))).toEqual([]);
    });

    it('answers a JSON object in JSON mode, which needs the prompt to mention JSON', async () => {
      const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Answer in JSON.' }], response_format: { type: 'json_object' } });
      expect(JSON.parse(completion.choices[0]!.message.content!)).toEqual(expect.any(Object));
      await expect(client.chat.completions.create({ model, messages: hello, response_format: { type: 'json_object' } })).rejects.toMatchObject({
        constructor: OpenAI.BadRequestError,
        param: 'messages',
      });
    });

    it('refuses a strict schema that OpenAI’s structured outputs do not accept', async () => {
      const open = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
      const error = await client.chat.completions
        .create({ model, messages: hello, response_format: { type: 'json_schema', json_schema: { name: 'person', schema: open, strict: true } } })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({ param: 'response_format', message: expect.stringContaining("Invalid schema for response_format 'person'") });

      const partlyRequired = { ...open, properties: { name: { type: 'string' }, age: { type: 'integer' } }, additionalProperties: false };
      const tool = { type: 'function' as const, function: { name: 'save', parameters: partlyRequired, strict: true } };
      await expect(client.chat.completions.create({ model, messages: hello, tools: [tool] })).rejects.toMatchObject({
        constructor: OpenAI.BadRequestError,
        param: 'tools[0].function.parameters',
        message: expect.stringContaining("Missing 'age'"),
      });
    });

    it('streams structured outputs that the SDK’s stream helper parses', async () => {
      const runner = client.chat.completions.stream({ model, messages: hello, response_format: zodResponseFormat(Invoice, 'invoice'), stream_options: { include_usage: true } });
      const final = await runner.finalChatCompletion();
      expect(Invoice.safeParse(final.choices[0]!.message.parsed).success).toBe(true);
      expect(final.usage!.completion_tokens).toBeGreaterThan(0);
    });

    it('cuts a structured answer at max_completion_tokens, which the SDK reports as LengthFinishReasonError', async () => {
      const cut = client.chat.completions.parse({ model, messages: hello, response_format: zodResponseFormat(Invoice, 'invoice'), max_completion_tokens: 5 });
      await expect(cut).rejects.toBeInstanceOf(LengthFinishReasonError);
    });
  });

  describe('tool calls', () => {
    const tools = [zodFunction({ name: 'get_weather', parameters: weather }), { type: 'function' as const, function: { name: 'search', parameters: searchParameters } }];

    it('calls a function with arguments its parameters schema accepts, then answers from the tool’s result', async () => {
      const completion = await client.chat.completions.parse({ model, messages: [{ role: 'user', content: 'Weather in Lisbon?' }], tools: [tools[0]!] });
      const choice = completion.choices[0]!;
      expect(choice.finish_reason).toBe('tool_calls');
      const call = choice.message.tool_calls![0]!;
      expect(call).toMatchObject({ id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_weather' } });
      if (call.type !== 'function') throw new Error('a function call was expected');
      expect(call.function.parsed_arguments).toEqual(weather.parse(JSON.parse(call.function.arguments)));

      const followUp = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'Weather in Lisbon?' }, choice.message, { role: 'tool', tool_call_id: call.id, content: '{"temperature": 21}' }],
        tools: [tools[0]!],
      });
      expect(followUp.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: expect.any(String) } });
      expect(followUp.choices[0]!.message.tool_calls).toBeUndefined();
    });

    it('follows tool_choice: a named function, none, required', async () => {
      const named = await client.chat.completions.create({ model, messages: hello, tools, tool_choice: { type: 'function', function: { name: 'search' } } });
      const call = named.choices[0]!.message.tool_calls![0]!;
      if (call.type !== 'function') throw new Error('a function call was expected');
      expect(call.function.name).toBe('search');
      expect(schemaProblems(searchParameters, JSON.parse(call.function.arguments))).toEqual([]);
      // OpenAI ends a call the request forced with `stop`.
      expect(named.choices[0]!.finish_reason).toBe('stop');

      const none = await client.chat.completions.create({ model, messages: hello, tools, tool_choice: 'none' });
      expect(none.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: expect.any(String) } });

      const required = await client.chat.completions.create({ model, messages: hello, tools, tool_choice: 'required' });
      expect(required.choices[0]!.finish_reason).toBe('tool_calls');
    });

    it('streams a tool call that the SDK’s stream helper assembles and parses', async () => {
      const runner = client.chat.completions.stream({ model, messages: hello, tools: [tools[0]!], tool_choice: 'required' });
      const call = (await runner.finalChatCompletion()).choices[0]!.message.tool_calls![0]!;
      if (call.type !== 'function') throw new Error('a function call was expected');
      expect(weather.safeParse(call.function.parsed_arguments).success).toBe(true);
    });

    it('refuses a tool_choice naming no tool given', async () => {
      const error = await client.chat.completions.create({ model, messages: hello, tools, tool_choice: { type: 'function', function: { name: 'launch' } } }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({ status: 400, param: 'tool_choice' });
    });
  });

  describe('responses', () => {
    it('answers text input with an output message', async () => {
      const response = await client.responses.create({ model, input: 'Say hello.', instructions: 'Be brief.' });
      expect(response).toMatchObject({ object: 'response', status: 'completed', instructions: 'Be brief.', model, error: null });
      expect(response.output_text).toContain('local OpenAI emulator');
      expect(response.usage!.total_tokens).toBe(response.usage!.input_tokens + response.usage!.output_tokens);
    });

    it('answers structured text.format that responses.parse turns into the zod type', async () => {
      const response = await client.responses.parse({ model, input: [{ role: 'user', content: 'An invoice, please.' }], text: { format: zodTextFormat(Invoice, 'invoice') } });
      expect(Invoice.safeParse(response.output_parsed).success).toBe(true);
      expect(response.text?.format).toMatchObject({ type: 'json_schema', name: 'invoice' });
    });

    it('streams events that the SDK assembles into the same response', async () => {
      const plain = await client.responses.create({ model, input: 'Say hello.' });
      const stream = await client.responses.create({ model, input: 'Say hello.', stream: true });
      const events = await Array.fromAsync(stream);
      expect(events.map((event) => event.type)).toEqual(
        expect.arrayContaining(['response.created', 'response.output_item.added', 'response.output_text.delta', 'response.output_text.done', 'response.completed']),
      );
      expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));

      const helper = client.responses.stream({ model, input: 'Say hello.', text: { format: zodTextFormat(Invoice, 'invoice') } });
      const final = await helper.finalResponse();
      expect(Invoice.safeParse(final.output_parsed).success).toBe(true);
      expect((await client.responses.stream({ model, input: 'Say hello.' }).finalResponse()).output_text).toBe(plain.output_text);
    });

    it('calls a function tool, then answers from its output', async () => {
      const tool = zodResponsesFunction({ name: 'get_weather', parameters: weather });
      const response = await client.responses.parse({ model, input: 'Weather in Porto?', tools: [tool] });
      const call = response.output.find((item) => item.type === 'function_call')!;
      expect(call).toMatchObject({ name: 'get_weather', call_id: expect.stringMatching(/^call_/) });
      expect(weather.parse(call.parsed_arguments)).toEqual(JSON.parse(call.arguments));

      const answered = await client.responses.create({
        model,
        input: [
          { role: 'user', content: 'Weather in Porto?' },
          { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
          { type: 'function_call_output', call_id: call.call_id, output: '{"temperature": 19}' },
        ],
        tools: [tool],
      });
      expect(answered.output.map((item) => item.type)).toEqual(['message']);
    });

    it('keeps responses: previous_response_id continues the conversation, retrieve and delete find them', async () => {
      const transcript = '<transcript>\n[0] 00:00:05 Ana Souza: Bom dia.\n[1] 00:00:09 Bruno Lima: Bom dia, Ana.\n</transcript>';
      const first = await client.responses.create({ model, input: `A meeting:\n${transcript}` });
      const next = await client.responses.create({ model, previous_response_id: first.id, input: 'Who spoke?' });
      expect(next).toMatchObject({ previous_response_id: first.id, output_text: expect.stringContaining('The transcript has 2 turns by 2 speakers.') });
      expect((await client.responses.create({ model, input: 'Who spoke?' })).output_text).toContain('The request has no transcript.');

      expect(await client.responses.retrieve(next.id)).toMatchObject({ id: next.id, output_text: next.output_text });
      await client.responses.delete(next.id);
      await expect(client.responses.retrieve(next.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
      await expect(client.responses.create({ model, previous_response_id: next.id, input: 'And then?' })).rejects.toMatchObject({
        constructor: OpenAI.BadRequestError,
        param: 'previous_response_id',
        code: 'previous_response_not_found',
      });
      const unstored = await client.responses.create({ model, input: 'Hi', store: false });
      await expect(client.responses.retrieve(unstored.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    });

    it('stops at max_output_tokens with status incomplete', async () => {
      const response = await client.responses.create({ model, input: 'Say hello.', max_output_tokens: 16, text: { format: zodTextFormat(Invoice, 'invoice') } });
      expect(response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
      expect(response.usage!.output_tokens).toBe(16);
    });

    it('refuses an unknown model with 400 model_not_found, as the Responses API does', async () => {
      const error = await client.responses.create({ model: 'gpt-nonexistent', input: 'Hi' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({ param: 'model', code: 'model_not_found' });
    });
  });

  describe('errors, as the SDK’s error classes', () => {
    it('401 for a wrong key: AuthenticationError with OpenAI’s error object', async () => {
      const error = await clientWith({ apiKey: 'sk-wrong-key-abcdefghijklmnop' })
        .chat.completions.create({ model, messages: hello })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(error).toMatchObject({ status: 401, type: 'invalid_request_error', param: null, code: 'invalid_api_key', requestID: expect.stringMatching(/^req_/) });
    });

    it('400 for an invalid request: BadRequestError naming the parameter', async () => {
      await expect(client.chat.completions.create({ model, messages: [] })).rejects.toMatchObject({ constructor: OpenAI.BadRequestError, param: 'messages' });
      await expect(client.chat.completions.create({ model, messages: hello, temperature: 3 })).rejects.toMatchObject({ constructor: OpenAI.BadRequestError, param: 'temperature' });
      await expect(client.responses.create({ model, input: 'Hi', max_output_tokens: 4 })).rejects.toMatchObject({ constructor: OpenAI.BadRequestError, param: 'max_output_tokens' });
      const badFormat = { type: 'json_schema', json_schema: { schema: {} } } as unknown as OpenAI.ResponseFormatJSONSchema;
      await expect(client.chat.completions.create({ model, messages: hello, response_format: badFormat })).rejects.toMatchObject({
        constructor: OpenAI.BadRequestError,
        param: 'response_format.json_schema.name',
        code: 'missing_required_parameter',
      });
    });

    it('429 with Retry-After: RateLimitError without retries; with one, the SDK waits as told and succeeds', async () => {
      emulator.failNext({ status: 429, retryAfterSec: 1 });
      const error = await clientWith({ maxRetries: 0 })
        .chat.completions.create({ model, messages: hello })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
      expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('1');

      emulator.failNext({ status: 429, retryAfterSec: 1 });
      const started = Date.now();
      await expect(client.responses.create({ model, input: 'Hi' })).resolves.toMatchObject({ status: 'completed' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    });

    it('500: InternalServerError', async () => {
      emulator.failNext({ status: 500 });
      await expect(clientWith({ maxRetries: 0 }).models.list()).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    });
  });

  it('the contract check catches answers OpenAI would not give', () => {
    const chat = { method: 'POST', path: '/v1/chat/completions' };
    expect(openAIResponseProblems(chat, { status: 200, body: { id: 'x', object: 'chat.completion', created: 1, model, choices: [{ index: 0, finish_reason: 'done' }] } })).not.toEqual([]);
    expect(openAIResponseProblems(chat, { status: 200, body: { object: 'chat.completion.chunk', choices: [] }, contentType: 'text/event-stream' })).not.toEqual([]);
    expect(openAIResponseProblems({ method: 'POST', path: '/v1/responses' }, { status: 200, body: { type: 'response.output_text.delta' }, contentType: 'text/event-stream' })).not.toEqual([]);
    expect(openAIResponseProblems({ method: 'GET', path: '/v1/models/gpt-4o' }, { status: 200, body: { id: 'gpt-4o', object: 'list' } })).not.toEqual([]);
    expect(openAIResponseProblems({ method: 'GET', path: '/v1/models' }, { status: 401, body: { error: { message: 'no type, param or code' } } })).not.toEqual([]);
    expect(openAIResponseProblems({ method: 'POST', path: '/v1/embeddingz' }, { status: 200, body: {} })).not.toEqual([]);
  });
});
