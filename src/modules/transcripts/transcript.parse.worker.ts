import { answerMoving } from '../../lib/worker-pool.js';
import { decodeTranscript, transcriptTurns, type TranscriptFormat, type TranscriptTurn } from './transcript.parse.js';

export interface ParseTask {
  /** The file's bytes (UTF-8), moved to the thread rather than copied where they can be. */
  content: Uint8Array;
  format: TranscriptFormat;
  participants: { email: string; name: string | null }[];
  /** How many turns to hand back as objects (the first page); all travel as JSON. */
  firstTurns: number;
}

export type StoredTurn = TranscriptTurn & { participantEmail: string | null };

export type ParseResult =
  | { ok: true; turnCount: number; turnsJson: Uint8Array; firstTurns: StoredTurn[] }
  | { ok: false; message: string };

// Turns are serialised and encoded this many at a time: memory holds the file, its turns as
// UTF-8 JSON, and one batch, never every turn as an object.
const BATCH = 1000;

/**
 * Runs in a worker thread (see transcript.parse-pool.ts): parsing a 20 MB transcript, matching
 * its speakers and serialising its turns is CPU work that must not block the event loop.
 */
export default function parse(task: ParseTask) {
  const firstTurns: StoredTurn[] = [];
  const encoded: Buffer[] = [];
  let batch: string[] = [];
  let turnCount = 0;
  try {
    for (const turn of transcriptTurns(decodeTranscript(task.content), task.format)) {
      const stored = { ...turn, participantEmail: matchParticipant(turn, task.participants) };
      if (firstTurns.length < task.firstTurns) firstTurns.push(stored);
      batch.push(JSON.stringify(stored));
      turnCount++;
      if (batch.length === BATCH) {
        encoded.push(Buffer.from((encoded.length ? ',' : '') + batch.join(',')));
        batch = [];
      }
    }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) } satisfies ParseResult;
  }
  if (batch.length) encoded.push(Buffer.from((encoded.length ? ',' : '') + batch.join(',')));
  const turnsJson = Buffer.concat([Buffer.from('['), ...encoded, Buffer.from(']')]);
  return answerMoving({ ok: true, turnCount, turnsJson, firstTurns } satisfies ParseResult, turnsJson);
}

function matchParticipant(turn: TranscriptTurn, participants: ParseTask['participants']): string | null {
  const speaker = turn.speaker?.trim().toLowerCase();
  if (!speaker) return null;
  const found = participants.find((participant) => participant.email === speaker || participant.name?.trim().toLowerCase() === speaker);
  return found?.email ?? null;
}
