import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { offsetOf, paginationOf, type PaginationQuery } from '../../lib/pagination.js';
import type { Storage } from '../../lib/storage.js';
import type { EventsService } from '../events/events.service.js';
import type { IntegrationsService } from '../integrations/integrations.service.js';
import type { MeetingsService } from '../meetings/meetings.service.js';
import type { TranscriptFormat } from './transcript.parse.js';
import type { TranscriptParser } from './transcript.parse-pool.js';
import type { StoredTurn } from './transcript.parse.worker.js';
import { insertTranscript, latestTranscript, latestTranscriptPage, type TranscriptInfo } from './transcripts.repo.js';

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
  events: Pick<EventsService, 'publish'>;
  storage: Storage;
  meetings: MeetingsService;
  integrations: IntegrationsService;
  parser: TranscriptParser;
  /** Hosts besides *.zoom.us that transcripts may be downloaded from (host:port). */
  zoomHosts: readonly string[];
}) {
  const { database, meetings } = deps;

  /**
   * Stores the file, parses it in a worker thread (which takes `content` over), stores its turns;
   * returns the transcript with `firstPage` of its turns. A file that cannot be read or recorded is not kept.
   */
  async function store(meeting: { id: string; userId: string }, source: 'zoom' | 'upload', format: TranscriptFormat, content: Buffer, firstPage: PaginationQuery) {
    const meetingId = meeting.id;
    const participants = await meetings.participantsOf(meetingId);
    const fileKey = `transcripts/${meetingId}/${randomUUID()}.${format}`;
    await deps.storage.put(fileKey, content);
    try {
      const parsed = await deps.parser.parse({ content, format, participants, firstTurns: firstPage.limit });
      const row = await database.transaction(async ({ db, client }) => {
        const inserted = await insertTranscript(db, { meetingId, source, format, fileKey, turnsJson: parsed.turnsJson });
        await meetings.markTranscriptStored(db, meetingId);
        await deps.events.publish({ db, client }, meeting.userId, 'transcript.ready', { meetingId, source });
        return inserted;
      });
      return toResponse(row, parsed.firstTurns, paginationOf(firstPage, parsed.turnCount));
    } catch (error) {
      // No row names the file: it goes (and if this fails too, the orphan sweep takes it).
      await deps.storage.delete(fileKey).catch(() => undefined);
      throw error;
    }
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
      await store(meeting, 'zoom', 'vtt', Buffer.from(content), { page: 1, limit: 1 });
    },

    /** @throws TranscriptFormatError when the file is not of its format. */
    async upload(userId: string, meetingId: string, content: Buffer, format: TranscriptFormat) {
      const meeting = await meetings.requireMeeting(userId, meetingId);
      return store(meeting, 'upload', format, content, { page: 1, limit: DEFAULT_TURNS_PER_PAGE });
    },

    /** One page of the newest transcript's turns. */
    async get(userId: string, meetingId: string, page: PaginationQuery) {
      const meeting = await meetings.requireMeeting(userId, meetingId);
      const row = await latestTranscriptPage(database.db, meeting.id, { offset: offsetOf(page), limit: page.limit });
      if (!row) throw new AppError('not_found', 'This meeting has no transcript yet');
      return toResponse(row, row.turns as StoredTurn[], paginationOf(page, row.turnCount));
    },
  };
}

export const DEFAULT_TURNS_PER_PAGE = 200;

function toResponse(row: TranscriptInfo, turns: StoredTurn[], pagination: ReturnType<typeof paginationOf>) {
  return { turns, pagination, format: row.format, source: row.source, createdAt: row.createdAt.toISOString() };
}
