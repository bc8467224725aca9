import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { OpenAIErrorBody } from './openai-errors.js';

/** What the emulated model is asked and what it answers, whichever API (chat completions, responses) carries them. */

const STREAM_PIECE_CHARS = 40;
export const EMULATOR_NOTE = 'local OpenAI emulator, not a language model';

/** The API that carries a request, as some of OpenAI's checks word their errors for it. */
export type Api = 'chat' | 'responses';

export interface ChatMessage {
  role: 'developer' | 'system' | 'user' | 'assistant' | 'tool' | 'function';
  content?: string | { type: string; text?: string }[] | null;
}

/** What either API (chat completions, responses) asks of the model, in one shape. */
export interface Generation {
  model: string;
  messages: ChatMessage[];
  /** `json` without a schema (json_object) answers the ata's notes, as a schema of the ata's shape does. */
  format: { type: 'text' } | { type: 'json'; schema?: Record<string, unknown> };
  tools: { name: string; parameters?: Record<string, unknown> | null }[];
  toolChoice: 'none' | 'auto' | 'required' | { name: string };
  maxTokens: number | undefined;
  /** The schemas the request marks `strict`, which OpenAI checks before it answers. */
  strictSchemas: { label: string; param: string; schema: Record<string, unknown> }[];
}

export interface Answer {
  /** Numbers the ids of this answer: `chatcmpl-emu-N`, `resp_emu_N`, `call_emu_N`… */
  serial: number;
  created: number;
  model: string;
  /** The text of the message, or the arguments of the tool call. */
  content: string;
  /** Set when the model calls a tool instead of answering. */
  toolCall?: { id: string; name: string };
  /** Set when the model declines: structured outputs then carry `refusal` instead of content (which is empty). */
  refusal?: string;
  finishReason: 'stop' | 'length' | 'tool_calls';
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/** The checks OpenAI makes once the request is well formed, then the model's answer. */
export type Generate = (generation: Generation, api: Api) => { answer: Answer } | { status: number; error: OpenAIErrorBody };

/** The answer cut in pieces, as a model streams it. */
export const piecesOf = (text: string) => text.match(new RegExp(`[\\s\\S]{1,${STREAM_PIECE_CHARS}}`, 'g')) ?? [];

export function textOf(message: ChatMessage): string {
  if (typeof message.content === 'string') return message.content;
  return (message.content ?? []).map((part) => part.text ?? '').join('\n');
}

/** Sends server-sent events, as both APIs stream an answer. */
export const sendEventStream = (reply: FastifyReply, events: string[]) =>
  reply.header('content-type', 'text/event-stream; charset=utf-8').header('cache-control', 'no-cache').send(Readable.from(events));
