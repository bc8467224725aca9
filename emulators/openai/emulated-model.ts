import { countTokens, decode, encode } from 'gpt-tokenizer';
import { minutesNotes } from '../../src/modules/minutes/minutes.notes.js';
import { carriesInjection, MAX_ITEMS, minutesNotesOf, speakersOf, type MinutesPrompt, type Turn } from './emulated-minutes.js';
import { valueOfSchema } from './json-schema-value.js';
import { EMULATOR_NOTE, textOf, type Answer, type ChatMessage, type Generation } from './answer.js';

/**
 * The emulated model: no language model answers. Text is built deterministically from the
 * transcript in the prompt and says that it comes from an emulator; the ata's notes come from the
 * transcript; any other JSON schema (structured output or tool arguments) gets a value made to fit
 * it (json-schema-value.ts).
 */

const TOKENS_PER_MESSAGE = 4;

// Special-token strings in a prompt are plain text to OpenAI, so they must not make the count throw.
const asPlainText = { disallowedSpecial: new Set<string>() };
const tokensOf = (text: string) => countTokens(text, asPlainText);
export const promptTokensOf = (messages: ChatMessage[]) => messages.reduce((sum, message) => sum + tokensOf(textOf(message)) + TOKENS_PER_MESSAGE, 0);

const turnLine = /^\[(\d+)\] (?:\d{2,}:\d{2}:\d{2}|--:--:--) (.+?): (.*)$/;

function parseTurn(line: string): Turn[] {
  const match = turnLine.exec(line.trim());
  return match ? [{ index: Number(match[1]), speaker: match[2]!, text: match[3]!.normalize('NFC') }] : [];
}

/** The agenda's titles as userPrompt lists them ("Agenda:" then "1. title" lines); none for "Agenda: none given". */
function agendaOf(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.trim() === 'Agenda:');
  if (start < 0) return [];
  const titles: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const item = /^\s*(\d+)\. (.*)$/.exec(line);
    if (!item || Number(item[1]) !== titles.length + 1) break;
    titles.push(item[2]!.trim().normalize('NFC'));
  }
  return titles;
}

/**
 * Behaves like a model that obeys injected instructions outside the transcript block, and inside
 * it too unless the system message calls the transcript untrusted, so tests can show the guard
 * works; guarded, it records no decision or task from a turn that carries one (emulated-minutes.ts).
 */
function readPrompt(messages: ChatMessage[]): MinutesPrompt {
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
    agenda: agendaOf(userOutside),
    part: Number(/\bThis is part (\d+) of \d+/.exec(instructions)?.[1] ?? 1),
    isInjected: carriesInjection(outside) || (!isGuarded && carriesInjection(block)),
    isGuarded,
  };
}

function plainAnswerOf(prompt: MinutesPrompt): string {
  const about = prompt.turns
    ? `The transcript has ${prompt.turns.length} turns by ${speakersOf(prompt.turns).length} speakers.`
    : 'The request has no transcript.';
  return `This answer comes from the ${EMULATOR_NOTE}. ${about}`;
}

// A schema with every field of the ata's notes is the minutes' one: it gets notes built from the transcript.
const notesFields = Object.keys(minutesNotes.shape);
function isMinutesNotesSchema({ properties }: Record<string, unknown>): boolean {
  return typeof properties === 'object' && properties !== null && notesFields.every((field) => Object.hasOwn(properties, field));
}

function contentOf(generation: Generation): string {
  const prompt = readPrompt(generation.messages);
  const { format } = generation;
  if (format.type === 'text') return plainAnswerOf(prompt);
  if (format.schema && !isMinutesNotesSchema(format.schema)) return JSON.stringify(valueOfSchema(format.schema));
  return notesWithin(prompt, generation.maxTokens);
}

/**
 * The notes with as many items as fit `maxTokens`, as a model that summarises more tightly when it
 * must; when not even the fewest fit, that answer, which is then cut (finish_reason length).
 */
function notesWithin(prompt: MinutesPrompt, maxTokens: number | undefined): string {
  let answer = '';
  for (const maxItems of [MAX_ITEMS, 12, 8, 4, 2, 1]) {
    answer = JSON.stringify(minutesNotesOf(prompt, maxItems));
    if (maxTokens === undefined || tokensOf(answer) <= maxTokens) return answer;
  }
  return answer;
}


/** Like a model: with tools it calls one until the conversation holds a tool's result; `required` or a named tool always calls. */
function toolToCall({ tools, toolChoice, messages }: Generation): Generation['tools'][number] | undefined {
  if (toolChoice === 'none') return undefined;
  if (typeof toolChoice === 'object') return tools.find((tool) => tool.name === toolChoice.name);
  if (toolChoice === 'auto' && messages.at(-1)?.role === 'tool') return undefined;
  return tools[0];
}

const NO_PARAMETERS = { type: 'object', properties: {} };

const REFUSAL = "I'm sorry, I can't help with that. (local OpenAI emulator)";

export function answerOf(generation: Generation, facts: { promptTokens: number; serial: number; isRefused: boolean }): Answer {
  const { promptTokens, serial, isRefused } = facts;
  const tool = isRefused ? undefined : toolToCall(generation);
  const text = isRefused ? REFUSAL : tool ? JSON.stringify(valueOfSchema(tool.parameters ?? NO_PARAMETERS)) : contentOf(generation);
  const tokens = encode(text, asPlainText);
  // As OpenAI does, an answer longer than the completion limit is cut there, JSON or not.
  const limit = generation.maxTokens ?? tokens.length;
  const completionTokens = Math.min(tokens.length, limit);
  const said = decode(tokens.slice(0, limit));
  // A tool named in tool_choice ends with `stop` at OpenAI, one the model chose with `tool_calls`.
  const finishReason = tokens.length > limit ? 'length' : tool && typeof generation.toolChoice !== 'object' ? 'tool_calls' : 'stop';
  return {
    serial,
    created: Math.floor(Date.now() / 1000),
    model: generation.model,
    content: isRefused ? '' : said,
    ...(isRefused ? { refusal: said } : {}),
    ...(tool ? { toolCall: { id: `call_emu_${serial}`, name: tool.name } } : {}),
    finishReason,
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
}
