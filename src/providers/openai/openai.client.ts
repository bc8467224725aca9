import type OpenAI from 'openai';
import type * as OpenAISdk from 'openai';
import type { zodResponseFormat } from 'openai/helpers/zod';
import type { z } from 'zod';
import { storableValue } from '../../lib/storable-text.js';
import { ProviderError, retryAfterMsOf } from '../provider-error.js';
import { observeProviderRequest, type ProviderTelemetry } from '../provider-metrics.js';

export interface OpenAISettings {
  apiKey: string;
  /** Unset: api.openai.com. Any OpenAI-compatible server: Azure OpenAI, vLLM, Ollama, the emulator. */
  baseUrl?: string;
  model: string;
  maxTokens: number;
  temperature: number;
  timeoutMs: number;
  /** Retries of 408/409/429/5xx and connection errors, by the SDK (it honours Retry-After). */
  maxRetries?: number;
  fetch?: typeof fetch;
  /** Where each call is reported (the SDK retries inside it: one call, one report, its final outcome). */
  telemetry?: ProviderTelemetry;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export type OpenAIClient = ReturnType<typeof createOpenAIClient>;

type Sdk = typeof OpenAISdk & { zodResponseFormat: typeof zodResponseFormat };
let sdk: Sdk | undefined;
let loadingSdk: Promise<Sdk> | undefined;

/**
 * The SDK (~280 modules, ~20 MB) loads with a process's first call: the API alone seldom makes
 * one. A process that writes minutes loads it at start (a cold import stalls its event loop ~0.1 s).
 */
export function loadOpenAISdk(): Promise<Sdk> {
  loadingSdk ??= Promise.all([import('openai'), import('openai/helpers/zod')]).then(([main, helpers]) => (sdk = { ...main, zodResponseFormat: helpers.zodResponseFormat }));
  return loadingSdk;
}

/**
 * Chat completions through the official SDK. Answers are streamed so long generations show
 * progress; failures become `ProviderError`s whose codes say what they mean to us:
 * `invalid_api_key`, `context_length_exceeded`, `output_truncated`, `content_refused`.
 */
export function createOpenAIClient(settings: OpenAISettings) {
  let client: OpenAI | undefined;
  async function clientOf(): Promise<{ client: OpenAI; sdk: Sdk }> {
    const loaded = await loadOpenAISdk();
    client ??= new loaded.default({ apiKey: settings.apiKey, baseURL: settings.baseUrl, timeout: settings.timeoutMs, maxRetries: settings.maxRetries ?? 3, fetch: settings.fetch });
    return { client, sdk: loaded };
  }

  const api = {
    model: settings.model,
    maxTokens: settings.maxTokens,

    /**
     * Asks for an answer shaped by `schema` (structured outputs, strict), streamed.
     * @param onProgress called with the number of characters received so far.
     */
    async structured<Schema extends z.ZodType>(request: {
      schema: Schema;
      schemaName: string;
      system: string;
      user: string;
      onProgress?: (receivedChars: number) => void;
      /** Aborts the call (its siblings failed, the job is stopping). */
      signal?: AbortSignal;
    }): Promise<{ value: z.output<Schema>; usage: Usage }> {
      let content = '';
      let refusal = '';
      let finishReason: string | null = null;
      let usage: Usage = { promptTokens: 0, completionTokens: 0 };
      // The SDK's timeout ends when the headers arrive; a stream that stalls afterwards is cut here.
      const { client, sdk } = await clientOf();
      const idle = new AbortController();
      let idleTimer = setTimeout(() => idle.abort(), settings.timeoutMs);
      const signal = request.signal ? AbortSignal.any([request.signal, idle.signal]) : idle.signal;
      try {
        const stream = await client.chat.completions.create(
          {
            model: settings.model,
            messages: [
              { role: 'system', content: request.system },
              { role: 'user', content: request.user },
            ],
            max_completion_tokens: settings.maxTokens,
            temperature: settings.temperature,
            response_format: sdk.zodResponseFormat(request.schema, request.schemaName),
            stream: true,
            stream_options: { include_usage: true },
          },
          { signal },
        );
        for await (const chunk of stream) {
          clearTimeout(idleTimer);
          idleTimer = setTimeout(() => idle.abort(), settings.timeoutMs);
          const choice = chunk.choices[0];
          if (choice?.delta.content) {
            content += choice.delta.content;
            request.onProgress?.(content.length);
          }
          if (choice?.delta.refusal) refusal += choice.delta.refusal;
          if (choice?.finish_reason) finishReason = choice.finish_reason;
          if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
        }
      } catch (error) {
        if (idle.signal.aborted && !request.signal?.aborted) {
          throw new ProviderError({ provider: 'openai', status: 0, code: 'timeout', message: 'stopped answering', retryable: true, cause: error });
        }
        throw toProviderError(error);
      } finally {
        clearTimeout(idleTimer);
      }
      if (refusal || finishReason === 'content_filter') {
        throw new ProviderError({ provider: 'openai', status: 200, code: 'content_refused', message: 'the model refused to write this content', retryable: false });
      }
      if (finishReason === 'length') {
        throw new ProviderError({ provider: 'openai', status: 200, code: 'output_truncated', message: 'the answer did not fit in the output tokens', retryable: false });
      }
      return { value: parseAnswer(request.schema, content), usage };
    },

    /** A cheap authenticated call: throws `invalid_api_key` when the key is refused. */
    async checkKey(): Promise<void> {
      try {
        const { client } = await clientOf();
        await client.models.list();
      } catch (error) {
        throw toProviderError(error);
      }
    },
  };
  const observed = <T>(operation: string, run: () => Promise<T>) => observeProviderRequest(settings.telemetry, { provider: 'openai', operation }, run);
  return {
    ...api,
    structured: <Schema extends z.ZodType>(request: Parameters<typeof api.structured<Schema>>[0]) => observed('chatCompletionsCreate', () => api.structured(request)),
    checkKey: () => observed('modelsList', () => api.checkKey()),
  };
}

function parseAnswer<Schema extends z.ZodType>(schema: Schema, content: string): z.output<Schema> {
  let json: unknown;
  try {
    // The model's text is stored: a NUL or an unpaired surrogate in it is cleaned, not refused.
    json = storableValue(JSON.parse(content));
  } catch (error) {
    throw new ProviderError({ provider: 'openai', status: 200, code: 'unexpected_response', message: 'answered with text that is not JSON', retryable: true, cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ProviderError({ provider: 'openai', status: 200, code: 'unexpected_response', message: 'answered in an unexpected shape', retryable: true, cause: parsed.error });
  }
  return parsed.data;
}

/** OpenAI says `context_length_exceeded`; vLLM, Ollama and others only say it in words. */
function isContextTooLong(status: number, message: string): boolean {
  return status === 400 && /context length|maximum context|context window|too many tokens|prompt is too long/i.test(message);
}

/** The SDK's errors, after its own retries, as ours. OpenAI's messages may echo input: only codes travel. */
export function toProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const OpenAI = sdk?.default; // before the SDK has loaded, no error is one of its own
  if (OpenAI && error instanceof OpenAI.APIConnectionTimeoutError) {
    return new ProviderError({ provider: 'openai', status: 0, code: 'timeout', message: 'did not answer in time', retryable: true, cause: error });
  }
  if (OpenAI && error instanceof OpenAI.APIConnectionError) {
    return new ProviderError({ provider: 'openai', status: 0, code: 'network_error', message: 'could not be reached', retryable: true, cause: error });
  }
  if (OpenAI && error instanceof OpenAI.APIError) {
    const status = typeof error.status === 'number' ? error.status : 0;
    const providerCode: unknown = error.code;
    const headers = error.headers as Headers | undefined;
    const code = typeof providerCode === 'string' ? providerCode : status === 401 ? 'invalid_api_key' : isContextTooLong(status, error.message) ? 'context_length_exceeded' : `http_${status}`;
    return new ProviderError({
      provider: 'openai',
      status,
      code,
      message: `answered ${status} (${code})`,
      retryable: status === 429 || status >= 500,
      retryAfterMs: retryAfterMsOf(headers?.get('retry-after') ?? null),
      cause: error,
    });
  }
  return new ProviderError({ provider: 'openai', status: 0, code: 'unexpected_error', message: 'failed', retryable: false, cause: error });
}
