import { decodeHTML } from 'entities';
import type { transcriptFormats } from '../../db/schema.js';

export type TranscriptFormat = (typeof transcriptFormats)[number];

/** One stretch of speech: who spoke (when known), from when to when (seconds), and what was said. */
export interface TranscriptTurn {
  speaker: string | null;
  start: number | null;
  end: number | null;
  text: string;
}

export class TranscriptFormatError extends Error {}

const speakerPrefix = /^([^:\n]{1,80}?):\s+([\s\S]+)$/;

/** `Name: text`, as Zoom writes its cues and people write plain transcripts. */
function splitSpeaker(text: string): { speaker: string | null; text: string } {
  const match = speakerPrefix.exec(text.trim());
  return match ? { speaker: match[1]!.trim(), text: match[2]!.trim() } : { speaker: null, text: text.trim() };
}

// A cue's timing line: `00:01:02.345 --> 00:01:04.000` (hours optional), settings after it ignored.
const timing = /^(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})[ \t]+-->[ \t]+(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})(?:[ \t]|$)/;
const voiceSpan = /<v(?:\.[^\s>]*)?[ \t]+([^>]*)>/;
const tag = /<[^>]*>/g;

const secondsOf = (hours: string | undefined, minutes: string, seconds: string, millis: string) =>
  Number(hours ?? 0) * 3600 + Number(minutes) * 60 + Number(seconds) + Number(millis) / 1000;

/** Each line of `content`, without building an array of them (a transcript can be 20 MB). */
function* linesOf(content: string): Generator<string> {
  let from = 0;
  while (from <= content.length) {
    const newline = content.indexOf('\n', from);
    const to = newline === -1 ? content.length : newline;
    yield content.charCodeAt(to - 1) === 13 ? content.slice(from, to - 1) : content.slice(from, to);
    if (newline === -1) return;
    from = newline + 1;
  }
}

/**
 * WebVTT cues as speaker turns: the voice span (`<v Name>`) or a `Name:` prefix names the
 * speaker; other markup is dropped and entities decoded. Written for transcripts, one pass over
 * the lines, a turn at a time: a 20 MB file takes a fraction of a second, and its reader need not
 * hold every turn (the general-purpose parser it replaced built a tree 30× the file's size).
 */
function* vttTurns(content: string): Generator<TranscriptTurn> {
  if (!/^WEBVTT(?:[ \t].*)?$/.test(content.slice(0, content.search(/\r?\n|$/)))) {
    throw new TranscriptFormatError('not a WebVTT file: it must start with a WEBVTT line');
  }
  let cue: { start: number; end: number; lines: string[] } | undefined;
  for (const line of linesOf(content)) {
    if (cue && line.trim() === '') {
      const turn = turnOfCue(cue);
      cue = undefined;
      if (turn) yield turn;
    } else if (cue) {
      cue.lines.push(line);
    } else {
      const times = timing.exec(line);
      if (times) cue = { start: secondsOf(times[1], times[2]!, times[3]!, times[4]!), end: secondsOf(times[5], times[6]!, times[7]!, times[8]!), lines: [] };
    }
  }
  const last = cue && turnOfCue(cue);
  if (last) yield last;
}

function turnOfCue(cue: { start: number; end: number; lines: string[] }): TranscriptTurn | undefined {
  const raw = cue.lines.join(' ');
  const voice = voiceSpan.exec(raw)?.[1];
  // Markup goes first, then character references (named or numeric) are decoded: `&lt;b&gt;` stays text.
  const text = decodeHTML(raw.replace(tag, '')).replace(/\s+/g, ' ').trim();
  if (text === '') return undefined;
  const speaker = voice && decodeHTML(voice).trim();
  return { ...(speaker ? { speaker, text } : splitSpeaker(text)), start: cue.start, end: cue.end };
}

/** SubRip differs from WebVTT in its header and its decimal comma: convert, then read as WebVTT. */
function srtTurns(content: string): Generator<TranscriptTurn> {
  return vttTurns(`WEBVTT\n\n${content.replace(/\r\n?/g, '\n').replace(/(\d{2}:\d{2}:\d{2}),(\d{3})/g, '$1.$2')}`);
}

/** `Name: text` lines; a line without a name continues the turn before it. */
function* textTurns(content: string): Generator<TranscriptTurn> {
  let pending: TranscriptTurn | undefined;
  for (const line of linesOf(content.replace(/\r\n?/g, '\n'))) {
    if (line.trim() === '') continue;
    const { speaker, text } = splitSpeaker(line);
    if (!speaker && pending) {
      pending.text = `${pending.text} ${text}`;
      continue;
    }
    if (pending) yield pending;
    pending = { speaker, start: null, end: null, text };
  }
  if (pending) yield pending;
}

// Control characters but tab and line breaks: never speech, and NUL cannot be stored.
const controlCharacters = /[^\P{Cc}\t\n\r]/gu;

/**
 * A transcript file's text: UTF-8 (its byte order mark skipped), or UTF-16 with a byte order
 * mark, as Windows tools save "Unicode" text; control characters other than tab and line breaks
 * removed (a file's contents are cleaned, not refused: README, "Text that cannot be stored").
 * @throws TranscriptFormatError when the bytes are not text in those encodings.
 */
export function decodeTranscript(bytes: Uint8Array): string {
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new TranscriptFormatError('the file is not text: send it as UTF-8 (or UTF-16 with a byte order mark)');
  }
  controlCharacters.lastIndex = 0;
  return controlCharacters.test(text) ? text.replace(controlCharacters, '') : text;
}

/**
 * The speaker turns of a transcript file, one at a time.
 * @throws TranscriptFormatError when the file is not of its format, or holds no turn.
 */
export function* transcriptTurns(content: string, format: TranscriptFormat): Generator<TranscriptTurn> {
  const text = content.replace(/^\uFEFF/, '');
  let count = 0;
  for (const turn of format === 'vtt' ? vttTurns(text) : format === 'srt' ? srtTurns(text) : textTurns(text)) {
    count++;
    yield turn;
  }
  if (count === 0) throw new TranscriptFormatError(format === 'txt' ? 'the transcript is empty' : 'the file has no cues');
}

/** Every turn of a transcript file. @throws TranscriptFormatError as `transcriptTurns`. */
export const parseTranscript = (content: string, format: TranscriptFormat): TranscriptTurn[] => [...transcriptTurns(content, format)];
