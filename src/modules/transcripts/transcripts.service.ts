import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import type { Storage } from '../../lib/storage.js';
import type { IntegrationsService } from '../integrations/integrations.service.js';
import type { MeetingsService } from '../meetings/meetings.service.js';
import { parseTranscript, type TranscriptFormat, type TranscriptTurn } from './transcript.parse.js';
import { insertTranscript, latestTranscript } from './transcripts.repo.js';

export type TranscriptsService = ReturnType<typeof createTranscriptsService>;

/** Zoom's own hosts, and any host the deployment points Zoom at (ZOOM_API_BASE_URL, the emulator). */
export function isAllowedZoomHost(url: string, extraHosts: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const host = parsed.host.toLowerCase();
  if (extraHosts.includes(host)) return true;
  return parsed.protocol === 'https:' && (parsed.hostname === 'zoom.us' || parsed.hostname.endsWith('.zoom.us'));
}

export function createTranscriptsService(deps: {
  database: Database;
  storage: Storage;
  meetings: MeetingsService;
  integrations: IntegrationsService;
  /** Hosts besides *.zoom.us that transcripts may be downloaded from (host:port). */
  zoomHosts: readonly string[];
}) {
  const { database, meetings } = deps;

  async function store(meetingId: string, source: 'zoom' | 'upload', format: TranscriptFormat, content: string) {
    const turns = parseTranscript(content, format);
    const participants = await meetings.participantsOf(meetingId);
    const matched = turns.map((turn) => ({ ...turn, participantEmail: matchParticipant(turn, participants) }));
    const fileKey = `transcripts/${meetingId}/${randomUUID()}.${format}`;
    await deps.storage.put(fileKey, content);
    const row = await insertTranscript(database.db, { meetingId, source, format, fileKey, turns: matched });
    await meetings.markTranscriptStored(meetingId);
    return row;
  }

  return {
    /** The meeting's newest transcript, for the minutes. */
    latestOf: (meetingId: string) => latestTranscript(database.db, meetingId),

    /**
     * Downloads a Zoom transcript (VTT) and stores it. Only from Zoom's hosts: a webhook must
     * not make us fetch an arbitrary URL.
     * @throws AppError bad_request for any other host.
     */
    async importFromZoom(meeting: { id: string; userId: string }, downloadUrl: string, downloadToken?: string) {
      if (!isAllowedZoomHost(downloadUrl, deps.zoomHosts)) {
        throw new AppError('bad_request', `Refused to download a transcript from ${new URL(downloadUrl).host}: not a Zoom host`);
      }
      const zoom = await deps.integrations.zoomFor(meeting.userId);
      const content = await zoom.downloadRecordingFile(downloadUrl, downloadToken);
      return store(meeting.id, 'zoom', 'vtt', content);
    },

    async upload(userId: string, meetingId: string, content: string, format: TranscriptFormat) {
      const meeting = await meetings.requireMeeting(userId, meetingId);
      const row = await store(meeting.id, 'upload', format, content);
      return { turns: row.turns as TranscriptTurn[], format, source: row.source, createdAt: row.createdAt.toISOString() };
    },

    async get(userId: string, meetingId: string) {
      const meeting = await meetings.requireMeeting(userId, meetingId);
      const row = await latestTranscript(database.db, meeting.id);
      if (!row) throw new AppError('not_found', 'This meeting has no transcript yet');
      return { turns: row.turns as TranscriptTurn[], format: row.format, source: row.source, createdAt: row.createdAt.toISOString() };
    },
  };
}

function matchParticipant(turn: TranscriptTurn, participants: { email: string; name: string | null }[]): string | null {
  const speaker = turn.speaker?.trim().toLowerCase();
  if (!speaker) return null;
  const found = participants.find((participant) => participant.email === speaker || participant.name?.trim().toLowerCase() === speaker);
  return found?.email ?? null;
}
