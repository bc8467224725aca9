import webvtt, { type WebVTTNode } from 'webvtt-parser';
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

const voiceOf = (nodes: WebVTTNode[]): string | undefined => nodes.find((node) => node.type === 'object' && node.name === 'v')?.value;

const textOf = (nodes: WebVTTNode[]): string =>
  nodes.map((node) => (node.type === 'text' ? (node.value ?? '') : node.children ? textOf(node.children) : '')).join('');

function parseVtt(content: string): TranscriptTurn[] {
  const result = new webvtt.WebVTTParser().parse(content, 'metadata');
  if (result.cues.length === 0) {
    throw new TranscriptFormatError(result.errors[0] ? `not a WebVTT file: ${result.errors[0].message} (line ${result.errors[0].line})` : 'the WebVTT file has no cues');
  }
  return result.cues
    .map((cue) => {
      const voice = voiceOf(cue.tree.children);
      const text = textOf(cue.tree.children).replace(/\s*\n\s*/g, ' ').trim();
      const turn = voice ? { speaker: voice.trim(), text } : splitSpeaker(text);
      return { ...turn, start: cue.startTime, end: cue.endTime };
    })
    .filter((turn) => turn.text !== '');
}

/** SubRip differs from WebVTT in its header and its decimal comma: convert, then parse as WebVTT. */
function parseSrt(content: string): TranscriptTurn[] {
  const vtt = `WEBVTT\n\n${content.replace(/\r\n?/g, '\n').replace(/(\d{2}:\d{2}:\d{2}),(\d{3})/g, '$1.$2')}`;
  return parseVtt(vtt);
}

function parseText(content: string): TranscriptTurn[] {
  const turns: TranscriptTurn[] = [];
  for (const line of content.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '') continue;
    const { speaker, text } = splitSpeaker(line);
    const previous = turns.at(-1);
    if (!speaker && previous) previous.text = `${previous.text} ${text}`; // a continued line
    else turns.push({ speaker, start: null, end: null, text });
  }
  if (turns.length === 0) throw new TranscriptFormatError('the transcript is empty');
  return turns;
}

/** Speaker turns of a transcript file. @throws TranscriptFormatError when the file is not of its format. */
export function parseTranscript(content: string, format: TranscriptFormat): TranscriptTurn[] {
  const text = content.replace(/^\uFEFF/, '');
  if (format === 'vtt') return parseVtt(text);
  if (format === 'srt') return parseSrt(text);
  return parseText(text);
}
