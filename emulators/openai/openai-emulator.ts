import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { installFailureSwitches, type PlannedFailure } from '../shared/failures.js';
import type { Generate } from './answer.js';
import { installChatCompletionsRoute } from './chat-completions.js';
import { answerOf, promptTokensOf } from './emulated-model.js';
import { KNOWN_MODELS, installModelsRoutes, unknownModelOf } from './models.js';
import { contextLengthError, failureBodyOf, installKeyCheckAndErrors, jsonModeError, strictSchemaError, toolChoiceError } from './openai-errors.js';
import { installResponsesRoutes } from './responses-api.js';

/**
 * A local OpenAI: `POST /v1/chat/completions` and `POST /v1/responses` (plain text, structured
 * outputs, tool calls, streaming; responses kept for `previous_response_id`, `GET` and `DELETE`),
 * `GET /v1/models` and `GET /v1/models/{model}`, with OpenAI's error bodies, its context-length
 * and strict-schema checks, and failure switches. No language model answers: emulated-model.ts
 * builds the answers from the prompt.
 */

const DEFAULT_CONTEXT_TOKENS = 16_384;

/** The model behind both APIs, with what tests change of it: its context length and planned refusals. */
function createModel(models: Set<string>, defaultContextTokens: number) {
  let contextTokens = defaultContextTokens;
  let answerCount = 0;
  let refusalsPlanned = 0;

  const generate: Generate = (generation, api) => {
    if (!models.has(generation.model)) return unknownModelOf(generation.model, api);
    const refused = toolChoiceError(generation) ?? strictSchemaError(generation) ?? jsonModeError(generation, api);
    if (refused) return { status: 400, error: refused };
    const promptTokens = promptTokensOf(generation.messages);
    const tooLong = contextLengthError(generation, promptTokens, contextTokens, api);
    if (tooLong) return { status: 400, error: tooLong };
    const isRefused = refusalsPlanned > 0;
    if (isRefused) refusalsPlanned -= 1;
    return { answer: answerOf(generation, { promptTokens, serial: ++answerCount, isRefused }) };
  };

  return {
    generate,
    refuseNext() {
      refusalsPlanned += 1;
    },
    setContextTokens(tokens: number) {
      contextTokens = tokens;
    },
    reset() {
      refusalsPlanned = 0;
      contextTokens = defaultContextTokens;
    },
  };
}

export async function startOpenAIEmulator(options: { apiKey: string; contextTokens?: number; port?: number; host?: string; models?: string[] }) {
  const { apiKey } = options;
  const app = Fastify({ logger: false, bodyLimit: 32 * 1024 * 1024, forceCloseConnections: true });
  const received: unknown[] = [];
  const models = new Set([...KNOWN_MODELS, ...(options.models ?? [])]);
  const model = createModel(models, options.contextTokens ?? DEFAULT_CONTEXT_TOKENS);

  // Planned failures answer before the key check, as the hooks run in this order.
  const switches = installFailureSwitches(app, { appliesTo: (url) => url.startsWith('/v1/') });
  installKeyCheckAndErrors(app, apiKey);
  installChatCompletionsRoute(app, { received, generate: model.generate });
  installResponsesRoutes(app, { received, generate: model.generate });
  installModelsRoutes(app, models);
  app.get('/emulator', async () => ({ emulator: 'openai', note: 'This is a local emulator of OpenAI, not OpenAI and not a language model.' }));

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  return {
    /** What OPENAI_BASE_URL takes. */
    url: `${baseUrl}/v1`,
    apiKey,
    /** Every chat completion and response request body that passed the key check and the failure switches, in order. */
    received,
    /** Plans failures with OpenAI's error bodies (401 invalid_api_key, 429 rate_limit_exceeded with Retry-After, 5xx server_error). */
    failNext(failure: PlannedFailure) {
      const retryAfterSec = failure.retryAfterSec ?? (failure.status === 429 ? 1 : undefined);
      switches.failNext({ ...failure, retryAfterSec, body: failure.body ?? failureBodyOf(failure.status ?? 500, apiKey) });
    },
    setLatency: (ms: number) => switches.setLatency(ms),
    /** The next answer is a refusal, as a model's safety system gives. */
    refuseNext() {
      model.refuseNext();
    },
    setContextTokens(tokens: number) {
      model.setContextTokens(tokens);
    },
    reset() {
      switches.reset();
      model.reset();
    },
    stop: () => app.close(),
  };
}

export type OpenAIEmulator = Awaited<ReturnType<typeof startOpenAIEmulator>>;
