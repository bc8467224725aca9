import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { piecesOf, sendEventStream, type Answer, type ChatMessage, type Generate, type Generation } from './answer.js';
import { parseRequest, previousResponseNotFoundError, responseNotFoundError } from './openai-errors.js';

/**
 * OpenAI's Responses API (https://platform.openai.com/docs/api-reference/responses) over the
 * emulator's answers: the request read into a `Generation`, the answer written as a response
 * object or as its stream of events, and the routes that keep responses. Only function tools can
 * be called; built-in ones are listed back but never run.
 */

const jsonSchema = z.record(z.string(), z.unknown());
const inputContent = z.union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() }))]);
const inputItem = z.looseObject({
  type: z.string().optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']).optional(),
  content: inputContent.optional(),
  arguments: z.string().optional(),
  output: z.unknown().optional(),
});
const textFormat = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({ type: z.literal('json_schema'), name: z.string().min(1), schema: jsonSchema, strict: z.boolean().nullish() }),
]);
const tool = z.looseObject({ type: z.string(), name: z.string().optional(), parameters: jsonSchema.nullish(), strict: z.boolean().nullish() });
const toolChoice = z.union([z.enum(['none', 'auto', 'required']), z.looseObject({ type: z.string(), name: z.string().optional() })]);

const responsesRequest = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(inputItem)]).optional(),
  instructions: z.string().nullish(),
  text: z.looseObject({ format: textFormat.optional() }).nullish(),
  tools: z.array(tool).nullish(),
  tool_choice: toolChoice.nullish(),
  stream: z.boolean().nullish(),
  max_output_tokens: z.number().int().min(16).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  store: z.boolean().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  previous_response_id: z.string().nullish(),
});
type ResponsesRequest = z.infer<typeof responsesRequest>;
type InputItem = z.infer<typeof inputItem>;

/** Input items as the chat messages they stand for: a tool's output is a `tool` message. */
function messagesOf(item: InputItem): ChatMessage[] {
  if (item.type === 'function_call_output') return [{ role: 'tool', content: typeof item.output === 'string' ? item.output : JSON.stringify(item.output) }];
  if (item.type === 'function_call') return [{ role: 'assistant', content: item.arguments ?? '' }];
  return item.role ? [{ role: item.role, content: item.content ?? null }] : [];
}

/** The request's input as messages, in order, without its instructions. */
function inputMessagesOf(request: ResponsesRequest): ChatMessage[] {
  return typeof request.input === 'string' ? [{ role: 'user', content: request.input }] : (request.input ?? []).flatMap(messagesOf);
}

/**
 * @param history the conversation of `previous_response_id`: its inputs and outputs, not its
 * instructions, which OpenAI does not carry over.
 */
function responsesGenerationOf(request: ResponsesRequest, history: ChatMessage[]): Generation {
  const instructions: ChatMessage[] = request.instructions ? [{ role: 'developer', content: request.instructions }] : [];
  const format = request.text?.format;
  const choice = request.tool_choice;
  return {
    model: request.model,
    messages: [...instructions, ...history, ...inputMessagesOf(request)],
    format: !format || format.type === 'text' ? { type: 'text' } : { type: 'json', schema: format.type === 'json_schema' ? format.schema : undefined },
    tools: (request.tools ?? []).flatMap((tool) => (tool.type === 'function' && tool.name ? [{ name: tool.name, parameters: tool.parameters }] : [])),
    toolChoice: typeof choice === 'object' && choice !== null ? (choice.type === 'function' && choice.name ? { name: choice.name } : 'auto') : (choice ?? 'auto'),
    maxTokens: request.max_output_tokens ?? undefined,
    strictSchemas: strictSchemasOf(request),
  };
}

function strictSchemasOf({ text, tools }: ResponsesRequest): Generation['strictSchemas'] {
  const format = text?.format;
  const answer = format?.type === 'json_schema' && format.strict ? [{ label: `response_format '${format.name}'`, param: 'text.format.schema', schema: format.schema }] : [];
  const functions = (tools ?? []).flatMap(({ name, strict, parameters }, index) =>
    strict && parameters ? [{ label: `function '${name}'`, param: `tools[${index}].parameters`, schema: parameters }] : [],
  );
  return [...answer, ...functions];
}

/** What the answer adds to the conversation, for a later `previous_response_id`. */
const answerMessageOf = (answer: Answer): ChatMessage => ({ role: 'assistant', content: answer.refusal ?? answer.content });

type Phase = 'started' | 'done';
type StreamEvent = { type: string; [field: string]: unknown };

function partOf(answer: Answer, phase: Phase) {
  const isDone = phase === 'done';
  if (answer.refusal !== undefined) return { type: 'refusal', refusal: isDone ? answer.refusal : '' };
  return { type: 'output_text', text: isDone ? answer.content : '', annotations: [], logprobs: [] };
}

const itemIdOf = (answer: Answer) => (answer.toolCall ? `fc_emu_${answer.serial}` : `msg_emu_${answer.serial}`);

function outputItemOf(answer: Answer, phase: Phase) {
  const status = phase === 'started' ? 'in_progress' : answer.finishReason === 'length' ? 'incomplete' : 'completed';
  if (answer.toolCall) {
    const { id, name } = answer.toolCall;
    return { id: itemIdOf(answer), type: 'function_call', status, call_id: id, name, arguments: phase === 'done' ? answer.content : '' };
  }
  return { id: itemIdOf(answer), type: 'message', status, role: 'assistant', content: phase === 'done' ? [partOf(answer, 'done')] : [] };
}

// https://platform.openai.com/docs/api-reference/responses/object: the request's settings come back with the answer.
function responseOf(answer: Answer, request: ResponsesRequest, phase: Phase = 'done') {
  const isCut = answer.finishReason === 'length';
  const status = phase === 'started' ? 'in_progress' : isCut ? 'incomplete' : 'completed';
  const { prompt_tokens, completion_tokens, total_tokens } = answer.usage;
  return {
    id: `resp_emu_${answer.serial}`,
    object: 'response',
    created_at: answer.created,
    status,
    completed_at: status === 'completed' ? answer.created : null,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: answer.model,
    output: phase === 'done' ? [outputItemOf(answer, 'done')] : [],
    parallel_tool_calls: true,
    previous_response_id: request.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    service_tier: 'default',
    store: request.store ?? true,
    temperature: request.temperature ?? 1,
    text: { format: request.text?.format ?? { type: 'text' } },
    tool_choice: request.tool_choice ?? 'auto',
    tools: (request.tools ?? []).map((tool) => (tool.type === 'function' ? { ...tool, parameters: tool.parameters ?? null, strict: tool.strict ?? true } : tool)),
    top_p: request.top_p ?? 1,
    truncation: 'disabled',
    metadata: request.metadata ?? {},
    ...(phase === 'done'
      ? {
          usage: {
            input_tokens: prompt_tokens,
            input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
            output_tokens: completion_tokens,
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens,
          },
        }
      : {}),
  };
}

/** The events between an output item's `added` and `done`: its text, refusal or arguments in pieces. */
function contentEventsOf(answer: Answer): StreamEvent[] {
  const at = { item_id: itemIdOf(answer), output_index: 0 };
  if (answer.toolCall) {
    return [
      ...piecesOf(answer.content).map((delta) => ({ type: 'response.function_call_arguments.delta', ...at, delta })),
      { type: 'response.function_call_arguments.done', ...at, name: answer.toolCall.name, arguments: answer.content },
    ];
  }
  const part = { ...at, content_index: 0 };
  const text =
    answer.refusal !== undefined
      ? [...piecesOf(answer.refusal).map((delta) => ({ type: 'response.refusal.delta', ...part, delta })), { type: 'response.refusal.done', ...part, refusal: answer.refusal }]
      : [
          ...piecesOf(answer.content).map((delta) => ({ type: 'response.output_text.delta', ...part, delta, logprobs: [] })),
          { type: 'response.output_text.done', ...part, text: answer.content, logprobs: [] },
        ];
  return [
    { type: 'response.content_part.added', ...part, part: partOf(answer, 'started') },
    ...text,
    { type: 'response.content_part.done', ...part, part: partOf(answer, 'done') },
  ];
}

/** Server-sent events as the Responses API streams them: https://platform.openai.com/docs/api-reference/responses-streaming */
function responseEventsOf(answer: Answer, request: ResponsesRequest): string[] {
  const started = responseOf(answer, request, 'started');
  const done = responseOf(answer, request);
  const events: StreamEvent[] = [
    { type: 'response.created', response: started },
    { type: 'response.in_progress', response: started },
    { type: 'response.output_item.added', output_index: 0, item: outputItemOf(answer, 'started') },
    ...contentEventsOf(answer),
    { type: 'response.output_item.done', output_index: 0, item: outputItemOf(answer, 'done') },
    { type: done.status === 'completed' ? 'response.completed' : 'response.incomplete', response: done },
  ];
  return events.map((event, sequence) => `event: ${event.type}\ndata: ${JSON.stringify({ ...event, sequence_number: sequence })}\n\n`);
}

export function installResponsesRoutes(app: FastifyInstance, { received, generate }: { received: unknown[]; generate: Generate }) {
  /** Responses created with `store` (the default), as OpenAI keeps them for `previous_response_id`. */
  const storedResponses = new Map<string, { response: ReturnType<typeof responseOf>; conversation: ChatMessage[] }>();

  // https://platform.openai.com/docs/api-reference/responses/create
  app.post('/v1/responses', async (request, reply) => {
    received.push(request.body);
    const parsed = parseRequest(responsesRequest, request.body);
    if ('error' in parsed) return reply.status(400).send(parsed.error);
    const asked = parsed.request;
    const previousId = asked.previous_response_id;
    const previous = previousId ? storedResponses.get(previousId) : undefined;
    if (previousId && !previous) return reply.status(400).send(previousResponseNotFoundError(previousId));
    const history = previous?.conversation ?? [];
    const generated = generate(responsesGenerationOf(asked, history), 'responses');
    if ('error' in generated) return reply.status(generated.status).send(generated.error);
    const { answer } = generated;
    const response = responseOf(answer, asked);
    if (asked.store !== false) storedResponses.set(response.id, { response, conversation: [...history, ...inputMessagesOf(asked), answerMessageOf(answer)] });
    if (!asked.stream) return response;
    return sendEventStream(reply, responseEventsOf(answer, asked));
  });

  app.get<{ Params: { id: string } }>('/v1/responses/:id', async (request, reply) => {
    const stored = storedResponses.get(request.params.id);
    return stored ? stored.response : reply.status(404).send(responseNotFoundError(request.params.id));
  });

  app.delete<{ Params: { id: string } }>('/v1/responses/:id', async (request, reply) => {
    const { id } = request.params;
    // OpenAI's spec declares a 200 without a body.
    return storedResponses.delete(id) ? reply.status(200).send() : reply.status(404).send(responseNotFoundError(id));
  });
}
