import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { countTokens, decode, encode } from 'gpt-tokenizer';
import { z } from 'zod';
import type { AtaNotes } from '../../src/modules/minutes/ata.schema.js';
import { installFailureSwitches, type PlannedFailure } from '../shared/failures.js';

/**
 * A local OpenAI: `POST /v1/chat/completions` (plain text, structured outputs, streaming) and
 * `GET /v1/models`, with OpenAI's error bodies, its context-length check, and failure switches.
 * No language model answers: each answer is built deterministically from the transcript in the
 * prompt, and says that it comes from an emulator.
 */

const DEFAULT_CONTEXT_TOKENS = 16_384;
const DEFAULT_MODEL = 'gpt-4o-mini';
const TOKENS_PER_MESSAGE = 4;
const STREAM_PIECE_CHARS = 40;
const EMULATOR_NOTE = 'local OpenAI emulator, not a language model';
const UNKNOWN_SPEAKER = 'Unknown speaker';

// https://platform.openai.com/docs/guides/error-codes
interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

function openAIError(message: string, param: string | null = null, code: string | null = null, type = 'invalid_request_error'): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

// https://platform.openai.com/docs/api-reference/chat/create (only the fields the emulator reads)
const messageContent = z.union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() })), z.null()]);
const chatMessage = z.looseObject({
  role: z.enum(['developer', 'system', 'user', 'assistant', 'tool', 'function']),
  content: messageContent.optional(),
});
const chatRequest = z.looseObject({
  model: z.string().min(1),
  messages: z.array(chatMessage).min(1),
  response_format: z.looseObject({ type: z.enum(['text', 'json_object', 'json_schema']) }).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
});
type ChatRequest = z.infer<typeof chatRequest>;
type ChatMessage = z.infer<typeof chatMessage>;

/** OpenAI's own wording for a missing model or messages; the first zod issue otherwise. */
function parseChatRequest(body: unknown): { request: ChatRequest } | { error: OpenAIErrorBody } {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (fields.model === undefined) return { error: openAIError('you must provide a model parameter') };
  if (fields.messages === undefined) return { error: openAIError("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter') };
  const parsed = chatRequest.safeParse(body);
  if (parsed.success) return { request: parsed.data };
  const issue = parsed.error.issues[0]!;
  const param = issue.path.map((key, position) => (typeof key === 'number' ? `[${key}]` : `${position ? '.' : ''}${String(key)}`)).join('');
  return { error: openAIError(`Invalid '${param}': ${issue.message}.`, param, 'invalid_value') };
}

function textOf(message: ChatMessage): string {
  if (typeof message.content === 'string') return message.content;
  return (message.content ?? []).map((part) => part.text ?? '').join('\n');
}

// Special-token strings in a prompt are plain text to OpenAI, so they must not make the count throw.
const asPlainText = { disallowedSpecial: new Set<string>() };
const tokensOf = (text: string) => countTokens(text, asPlainText);
const promptTokensOf = (messages: ChatMessage[]) => messages.reduce((sum, message) => sum + tokensOf(textOf(message)) + TOKENS_PER_MESSAGE, 0);

function contextLengthError(request: ChatRequest, promptTokens: number, limit: number): OpenAIErrorBody | undefined {
  const completionTokens = request.max_completion_tokens ?? request.max_tokens ?? 0;
  const requested = promptTokens + completionTokens;
  if (requested <= limit) return undefined;
  return openAIError(
    `This model's maximum context length is ${limit} tokens. However, you requested ${requested} tokens (${promptTokens} in the messages, ${completionTokens} in the completion). Please reduce the length of the messages or completion.`,
    'messages',
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

function failureBodyOf(status: number, apiKey: string): OpenAIErrorBody {
  if (status === 401) return invalidKeyError(apiKey);
  if (status === 429) return openAIError(`Rate limit reached for requests (emulated by the ${EMULATOR_NOTE}). Please try again later.`, null, 'rate_limit_exceeded', 'requests');
  if (status >= 500) return openAIError(`The server had an error while processing your request (emulated by the ${EMULATOR_NOTE}).`, null, null, 'server_error');
  return openAIError(`Emulated failure ${status} (${EMULATOR_NOTE}).`);
}

interface Turn {
  index: number;
  speaker: string;
  text: string;
}

interface Prompt {
  /** Undefined when the request has no <transcript> block. */
  turns: Turn[] | undefined;
  topic: string;
  isInjected: boolean;
}

const turnLine = /^\[(\d+)\] (?:\d{2,}:\d{2}:\d{2}|--:--:--) (.+?): (.*)$/;
const injection = /ignore (all )?previous instructions/i;

function parseTurn(line: string): Turn[] {
  const match = turnLine.exec(line.trim());
  return match ? [{ index: Number(match[1]), speaker: match[2]!, text: match[3]! }] : [];
}

/**
 * Behaves like a model that obeys injected instructions outside the transcript block, and inside
 * it too unless the system message calls the transcript untrusted, so tests can show the guard works.
 */
function readPrompt(messages: ChatMessage[]): Prompt {
  const userText = messages.filter((message) => message.role === 'user').map(textOf).join('\n');
  const start = userText.lastIndexOf('<transcript>');
  const end = userText.indexOf('</transcript>', start);
  const hasBlock = start >= 0 && end > start;
  const block = hasBlock ? userText.slice(start + '<transcript>'.length, end) : '';
  const userOutside = hasBlock ? `${userText.slice(0, start)}\n${userText.slice(end)}` : userText;
  const outside = [...messages.filter((message) => message.role !== 'user').map(textOf), userOutside].join('\n');
  const instructions = messages.filter((message) => message.role === 'system' || message.role === 'developer').map(textOf).join('\n');
  const isGuarded = /\buntrusted\b/i.test(instructions);
  return {
    turns: hasBlock ? block.split('\n').flatMap(parseTurn) : undefined,
    topic: /^Meeting: (.*)$/m.exec(outside)?.[1]?.trim() ?? 'Meeting',
    isInjected: injection.test(outside) || (!isGuarded && injection.test(block)),
  };
}

const agendaMarker = /^(pauta|item|agenda|ordem do dia)\b|pr[oó]ximo item|next item|siguiente punto/i;
const decisionMarker = /\b(aprovad[oa]s?|aprovamos|decidid[oa]s?|decidimos|deliberad[oa]|approved|decided|resolved|aprobad[oa])\b/i;
const actionMarker = /\b(fica(rá)? responsável|ficou responsável|será responsável|vai (preparar|enviar|fazer|apresentar)|will (prepare|send|do|present)|se encarga)\b/i;
const secretaryMarker = /secretári|secretary|secretari/i;
const datePattern = /\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}(\/\d{2,4})?/;

// A model summarises: a sentence an item, a handful of items a chunk, so the answer stays within
// max_tokens whatever the transcript (a meeting that says "aprovado" in every turn included).
const MAX_ITEMS = 8;
const MAX_ITEM_CHARS = 160;
function summaryOf(text: string): string {
  const sentence = /^.*?[.!?](?=\s|$)/s.exec(text)?.[0] ?? text;
  return sentence.length > MAX_ITEM_CHARS ? `${sentence.slice(0, MAX_ITEM_CHARS - 1)}…` : sentence;
}

const nameOf = (turn: Turn) => (turn.speaker === UNKNOWN_SPEAKER ? null : turn.speaker);
const distinct = (values: string[]) => [...new Set(values)];
const speakersOf = (turns: Turn[]) => distinct(turns.flatMap((turn) => nameOf(turn) ?? []));

function agendaOf(turns: Turn[]): AtaNotes['agenda'] {
  const items: { title: string; turns: Turn[] }[] = [];
  for (const turn of turns) {
    const isMarker = agendaMarker.test(turn.text);
    const current = items.at(-1);
    if (current && !isMarker) current.turns.push(turn);
    else items.push({ title: isMarker ? turn.text.slice(0, 80) : 'Assuntos gerais', turns: [turn] });
  }
  return items.slice(0, MAX_ITEMS).map((item) => {
    const speakers = distinct(item.turns.map((turn) => turn.speaker)).join(', ');
    const range = `${item.turns[0]!.index}–${item.turns.at(-1)!.index}`;
    return { title: item.title, discussion: `Emulated summary (not a language model) of turns ${range}: ${item.turns.length} interventions by ${speakers}.` };
  });
}

function voteOf(text: string): string | null {
  if (/unanim/i.test(text)) return 'unanimous';
  return /consens/i.test(text) ? 'consensus' : null;
}

function notesOf(prompt: Prompt): AtaNotes {
  const turns = prompt.turns ?? [];
  const speakers = speakersOf(turns);
  const secretaryTurn = turns.find((turn) => secretaryMarker.test(turn.text) && nameOf(turn));
  return {
    title: prompt.isInjected ? 'INJECTED' : `${prompt.topic} (${EMULATOR_NOTE})`,
    presiding: speakers[0] ?? null,
    secretary: secretaryTurn ? nameOf(secretaryTurn) : null,
    attendees: speakers.map((name) => ({ name, role: null })),
    agenda: agendaOf(turns),
    decisions: prompt.isInjected
      ? []
      : turns
          .filter((turn) => decisionMarker.test(turn.text))
          .slice(0, MAX_ITEMS)
          .map((turn) => ({ text: summaryOf(turn.text), proposedBy: nameOf(turn), vote: voteOf(turn.text), sourceTurn: turn.index })),
    actionItems: prompt.isInjected
      ? []
      : turns
          .filter((turn) => actionMarker.test(turn.text))
          .slice(0, MAX_ITEMS)
          .map((turn) => ({ owner: nameOf(turn), task: summaryOf(turn.text), dueDate: datePattern.exec(turn.text)?.[0] ?? null, sourceTurn: turn.index })),
  };
}

function plainAnswerOf(prompt: Prompt): string {
  const about = prompt.turns
    ? `The transcript has ${prompt.turns.length} turns by ${speakersOf(prompt.turns).length} speakers.`
    : 'The request has no transcript.';
  return `This answer comes from the ${EMULATOR_NOTE}. ${about}`;
}

interface Answer {
  id: string;
  created: number;
  model: string;
  content: string;
  /** Set when the model declines: structured outputs then carry `refusal` instead of content. */
  refusal?: string;
  finishReason: 'stop' | 'length';
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

function answerOf(request: ChatRequest, promptTokens: number, id: string): Answer {
  const prompt = readPrompt(request.messages);
  const isStructured = request.response_format?.type === 'json_schema' || request.response_format?.type === 'json_object';
  const tokens = encode(isStructured ? JSON.stringify(notesOf(prompt)) : plainAnswerOf(prompt), asPlainText);
  // As OpenAI does, an answer longer than the completion limit is cut there, JSON or not.
  const limit = request.max_completion_tokens ?? request.max_tokens ?? tokens.length;
  const completionTokens = Math.min(tokens.length, limit);
  return {
    id,
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    content: decode(tokens.slice(0, limit)),
    finishReason: tokens.length > limit ? 'length' : 'stop',
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
}

// https://platform.openai.com/docs/api-reference/chat/object
function completionOf(answer: Answer) {
  return {
    id: answer.id,
    object: 'chat.completion',
    created: answer.created,
    model: answer.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: answer.refusal ? null : answer.content, refusal: answer.refusal ?? null, annotations: [] },
        logprobs: null,
        finish_reason: answer.finishReason,
      },
    ],
    usage: answer.usage,
    service_tier: 'default',
    system_fingerprint: 'fp_emulator',
  };
}

/** Server-sent events as OpenAI streams them: https://platform.openai.com/docs/api-reference/chat-streaming */
function streamEventsOf(answer: Answer, includeUsage: boolean): string[] {
  const base = { id: answer.id, object: 'chat.completion.chunk', created: answer.created, model: answer.model, service_tier: 'default', system_fingerprint: 'fp_emulator' };
  // With include_usage, OpenAI sends `usage: null` on every chunk but the last.
  const chunk = (delta: object, finishReason: Answer['finishReason'] | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  });
  const field = answer.refusal ? 'refusal' : 'content';
  const pieces = (answer.refusal ?? answer.content).match(new RegExp(`[\\s\\S]{1,${STREAM_PIECE_CHARS}}`, 'g')) ?? [];
  const chunks = [
    chunk({ role: 'assistant', content: '', refusal: null }),
    ...pieces.map((piece) => chunk({ [field]: piece })),
    chunk({}, answer.finishReason),
    ...(includeUsage ? [{ ...base, choices: [], usage: answer.usage }] : []),
  ];
  return [...chunks.map((event) => `data: ${JSON.stringify(event)}\n\n`), 'data: [DONE]\n\n'];
}

const modelOf = (id: string) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'local-emulator' });

/** OpenAI's key check, rate-limit headers and error bodies, also for what Fastify answers itself (bad JSON, unknown URL). */
function installKeyCheckAndErrors(app: FastifyInstance, apiKey: string) {
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/v1/')) return;
    const key = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (key !== apiKey) return reply.status(401).send(invalidKeyError(key));
  });

  // OpenAI's rate-limit headers beside Retry-After, which the failure switches set.
  app.addHook('onSend', async (_request, reply, payload) => {
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

export async function startOpenAIEmulator(options: { apiKey: string; contextTokens?: number; port?: number; host?: string }) {
  const { apiKey } = options;
  const app = Fastify({ logger: false, bodyLimit: 32 * 1024 * 1024, forceCloseConnections: true });
  const received: unknown[] = [];
  const models = new Set([DEFAULT_MODEL]);
  let contextTokens = options.contextTokens ?? DEFAULT_CONTEXT_TOKENS;
  let completionCount = 0;
  let refusalsPlanned = 0;

  // Planned failures answer before the key check, as the hooks run in this order.
  const switches = installFailureSwitches(app, { appliesTo: (url) => url.startsWith('/v1/') });
  installKeyCheckAndErrors(app, apiKey);

  app.post('/v1/chat/completions', async (request, reply) => {
    received.push(request.body);
    const parsed = parseChatRequest(request.body);
    if ('error' in parsed) return reply.status(400).send(parsed.error);
    const chat = parsed.request;
    models.add(chat.model);
    const promptTokens = promptTokensOf(chat.messages);
    const tooLong = contextLengthError(chat, promptTokens, contextTokens);
    if (tooLong) return reply.status(400).send(tooLong);
    const answer = answerOf(chat, promptTokens, `chatcmpl-emu-${++completionCount}`);
    if (refusalsPlanned > 0) {
      refusalsPlanned -= 1;
      answer.refusal = "I'm sorry, I can't help with that. (local OpenAI emulator)";
    }
    if (!chat.stream) return completionOf(answer);
    return reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(Readable.from(streamEventsOf(answer, chat.stream_options?.include_usage === true)));
  });

  app.get('/v1/models', async () => ({ object: 'list', data: [...models].map(modelOf) }));

  app.get('/emulator', async () => ({ emulator: 'openai', note: 'This is a local emulator of OpenAI, not OpenAI and not a language model.' }));

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  return {
    /** What OPENAI_BASE_URL takes. */
    url: `${baseUrl}/v1`,
    apiKey,
    /** Every chat completion request body that passed the key check and the failure switches, in order. */
    received,
    /** Plans failures with OpenAI's error bodies (401 invalid_api_key, 429 rate_limit_exceeded with Retry-After, 5xx server_error). */
    failNext(failure: PlannedFailure) {
      const retryAfterSec = failure.retryAfterSec ?? (failure.status === 429 ? 1 : undefined);
      switches.failNext({ ...failure, retryAfterSec, body: failure.body ?? failureBodyOf(failure.status ?? 500, apiKey) });
    },
    setLatency: (ms: number) => switches.setLatency(ms),
    /** The next answer is a refusal, as a model's safety system gives. */
    refuseNext() {
      refusalsPlanned += 1;
    },
    setContextTokens(tokens: number) {
      contextTokens = tokens;
    },
    reset() {
      switches.reset();
      refusalsPlanned = 0;
      contextTokens = options.contextTokens ?? DEFAULT_CONTEXT_TOKENS;
    },
    stop: () => app.close(),
  };
}

export type OpenAIEmulator = Awaited<ReturnType<typeof startOpenAIEmulator>>;
