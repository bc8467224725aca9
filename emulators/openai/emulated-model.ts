import { countTokens, decode, encode } from 'gpt-tokenizer';
import { minutesNotes, type MinutesNotes } from '../../src/modules/minutes/minutes.notes.js';
import { voteFromText } from '../../src/modules/minutes/minutes.vote-cues.js';
import { valueOfSchema } from './json-schema-value.js';
import { EMULATOR_NOTE, textOf, type Answer, type ChatMessage, type Generation } from './answer.js';

/**
 * The emulated model: no language model answers. Text is built deterministically from the
 * transcript in the prompt and says that it comes from an emulator; the ata's notes come from the
 * transcript; any other JSON schema (structured output or tool arguments) gets a value made to fit
 * it (json-schema-value.ts).
 */

const TOKENS_PER_MESSAGE = 4;
const UNKNOWN_SPEAKER = 'Unknown speaker';

// Special-token strings in a prompt are plain text to OpenAI, so they must not make the count throw.
const asPlainText = { disallowedSpecial: new Set<string>() };
const tokensOf = (text: string) => countTokens(text, asPlainText);
export const promptTokensOf = (messages: ChatMessage[]) => messages.reduce((sum, message) => sum + tokensOf(textOf(message)) + TOKENS_PER_MESSAGE, 0);

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

function agendaOf(turns: Turn[]): MinutesNotes['agenda'] {
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


function notesOf(prompt: Prompt): MinutesNotes {
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
          // The vote as data, from the turn's words by fixed cues ("por unanimidade", "5 votos a favor,
          // 1 contra", "aprovado", "rejeitado", "adiado"…): see voteFromText for the full list.
          .map((turn) => ({ text: summaryOf(turn.text), proposedBy: nameOf(turn), ...voteFromText(turn.text), sourceTurn: turn.index })),
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
  return JSON.stringify(notesOf(prompt));
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
