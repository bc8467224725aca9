import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { piecesOf, sendEventStream, type Answer, type Generate, type Generation } from './answer.js';
import { openAIError, parseRequest, type RequestParse } from './openai-errors.js';

/**
 * OpenAI's chat completions (https://platform.openai.com/docs/api-reference/chat) over the
 * emulator's answers: the request read into a `Generation`, the answer written as a completion
 * or as its stream of chunks.
 */

// https://platform.openai.com/docs/api-reference/chat/create (only the fields the emulator reads)
const messageContent = z.union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() })), z.null()]);
const chatMessage = z.looseObject({
  role: z.enum(['developer', 'system', 'user', 'assistant', 'tool', 'function']),
  content: messageContent.optional(),
});
const jsonSchema = z.record(z.string(), z.unknown());
const chatTool = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({ name: z.string().min(1), parameters: jsonSchema.optional(), strict: z.boolean().nullish() }),
});
const chatToolChoice = z.union([z.enum(['none', 'auto', 'required']), z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) })]);
const chatResponseFormat = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({ type: z.literal('json_schema'), json_schema: z.looseObject({ name: z.string().min(1), schema: jsonSchema.optional(), strict: z.boolean().nullish() }) }),
]);
const chatRequest = z.looseObject({
  model: z.string().min(1),
  messages: z.array(chatMessage).min(1),
  response_format: chatResponseFormat.nullish(),
  tools: z.array(chatTool).nullish(),
  tool_choice: chatToolChoice.nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
});
type ChatRequest = z.infer<typeof chatRequest>;

function parseChatRequest(body: unknown): RequestParse<ChatRequest> {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (fields.model === undefined) return { error: openAIError('you must provide a model parameter') };
  return parseRequest(chatRequest, body);
}

function chatGenerationOf(request: ChatRequest): Generation {
  const format = request.response_format;
  const choice = request.tool_choice;
  return {
    model: request.model,
    messages: request.messages,
    format: !format || format.type === 'text' ? { type: 'text' } : { type: 'json', schema: format.type === 'json_schema' ? format.json_schema.schema : undefined },
    tools: (request.tools ?? []).map((tool) => tool.function),
    toolChoice: typeof choice === 'object' && choice !== null ? { name: choice.function.name } : (choice ?? 'auto'),
    maxTokens: request.max_completion_tokens ?? request.max_tokens ?? undefined,
    strictSchemas: chatStrictSchemasOf(request),
  };
}

function chatStrictSchemasOf({ response_format: format, tools }: ChatRequest): Generation['strictSchemas'] {
  const { name, strict, schema } = format?.type === 'json_schema' ? format.json_schema : {};
  const answer = strict && schema ? [{ label: `response_format '${name}'`, param: 'response_format', schema }] : [];
  const functions = (tools ?? []).flatMap(({ function: tool }, index) =>
    tool.strict && tool.parameters ? [{ label: `function '${tool.name}'`, param: `tools[${index}].function.parameters`, schema: tool.parameters }] : [],
  );
  return [...answer, ...functions];
}

function chatMessageOf(answer: Answer) {
  if (answer.refusal) return { role: 'assistant', content: null, refusal: answer.refusal, annotations: [] };
  if (!answer.toolCall) return { role: 'assistant', content: answer.content, refusal: null, annotations: [] };
  const { id, name } = answer.toolCall;
  return { role: 'assistant', content: null, refusal: null, annotations: [], tool_calls: [{ id, type: 'function', function: { name, arguments: answer.content } }] };
}

// https://platform.openai.com/docs/api-reference/chat/object
function completionOf(answer: Answer) {
  return {
    id: `chatcmpl-emu-${answer.serial}`,
    object: 'chat.completion',
    created: answer.created,
    model: answer.model,
    choices: [{ index: 0, message: chatMessageOf(answer), logprobs: null, finish_reason: answer.finishReason }],
    usage: answer.usage,
    service_tier: 'default',
    system_fingerprint: 'fp_emulator',
  };
}

/** The first delta, then the pieces of the text, refusal or tool-call arguments. */
function chatDeltasOf(answer: Answer): object[] {
  if (answer.refusal) return [{ role: 'assistant', content: '', refusal: null }, ...piecesOf(answer.refusal).map((refusal) => ({ refusal }))];
  if (!answer.toolCall) return [{ role: 'assistant', content: '', refusal: null }, ...piecesOf(answer.content).map((content) => ({ content }))];
  const { id, name } = answer.toolCall;
  return [
    { role: 'assistant', content: null, refusal: null, tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: '' } }] },
    ...piecesOf(answer.content).map((piece) => ({ tool_calls: [{ index: 0, function: { arguments: piece } }] })),
  ];
}

/** Server-sent events as OpenAI streams them: https://platform.openai.com/docs/api-reference/chat-streaming */
function streamEventsOf(answer: Answer, includeUsage: boolean): string[] {
  const base = { id: `chatcmpl-emu-${answer.serial}`, object: 'chat.completion.chunk', created: answer.created, model: answer.model, service_tier: 'default', system_fingerprint: 'fp_emulator' };
  // With include_usage, OpenAI sends `usage: null` on every chunk but the last.
  const chunk = (delta: object, finishReason: Answer['finishReason'] | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  });
  const chunks = [
    ...chatDeltasOf(answer).map((delta) => chunk(delta)),
    chunk({}, answer.finishReason),
    ...(includeUsage ? [{ ...base, choices: [], usage: answer.usage }] : []),
  ];
  return [...chunks.map((event) => `data: ${JSON.stringify(event)}\n\n`), 'data: [DONE]\n\n'];
}

export function installChatCompletionsRoute(app: FastifyInstance, { received, generate }: { received: unknown[]; generate: Generate }) {
  app.post('/v1/chat/completions', async (request, reply) => {
    received.push(request.body);
    const parsed = parseChatRequest(request.body);
    if ('error' in parsed) return reply.status(400).send(parsed.error);
    const chat = parsed.request;
    const generated = generate(chatGenerationOf(chat), 'chat');
    if ('error' in generated) return reply.status(generated.status).send(generated.error);
    if (!chat.stream) return completionOf(generated.answer);
    return sendEventStream(reply, streamEventsOf(generated.answer, chat.stream_options?.include_usage === true));
  });
}
