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
import { insertTranscript, latestTranscript, latestTranscriptPage, type TranscriptInfo, type TranscriptRow } from './transcripts.repo.js';

type TranscriptPage = ReturnType<typeof toResponse>;

/** Meetings' transcripts: downloaded from Zoom or uploaded, parsed into speaker turns, read a page at a time. */
export interface TranscriptsService {
  /** The meeting's newest transcript, for the minutes. */
  latestOf(meetingId: string): Promise<TranscriptRow | undefined>;
  /**
   * Downloads a Zoom transcript (VTT) and stores it. Only from Zoom's hosts: a webhook must
   * not make us fetch an arbitrary URL.
   * @throws AppError bad_request (400) for any other host.
   */
  importFromZoom(meeting: { id: string; userId: string }, downloadUrl: string, downloadToken?: string): Promise<void>;
  /**
   * Stores an uploaded transcript of the user's meeting; returns it with its first page of turns.
   * @throws TranscriptFormatError when the file is not of its format.
   */
  upload(userId: string, meetingId: string, content: Buffer, format: TranscriptFormat): Promise<TranscriptPage>;
  /**
   * One page of the newest transcript's turns.
   * @throws AppError not_found (404) when the meeting has no transcript yet.
   */
  get(userId: string, meetingId: string, page: PaginationQuery): Promise<TranscriptPage>;
}

export interface TranscriptsServiceDeps {
  database: Database;
  events: Pick<EventsService, 'publish'>;
  storage: Storage;
  meetings: Pick<MeetingsService, 'requireMeeting' | 'participantsOf' | 'markTranscriptStored'>;
  integrations: Pick<IntegrationsService, 'zoomFor'>;
  parser: TranscriptParser;
  /** Hosts besides *.zoom.us that transcripts may be downloaded from (host:port). */
  zoomHosts: readonly string[];
}

/** Zoom's own hosts, and any host the deployment points Zoom at (ZOOM_API_BASE_URL, the emulator). */
function isAllowedZoomHost(url: string, extraHosts: readonly string[]): boolean {
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

export function createTranscriptsService(deps: TranscriptsServiceDeps): TranscriptsService {
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
    latestOf: (meetingId) => latestTranscript(database.db, meetingId),

    async importFromZoom(meeting, downloadUrl, downloadToken) {
      if (!isAllowedZoomHost(downloadUrl, deps.zoomHosts)) {
        throw new AppError('bad_request', `Refused to download a transcript from ${new URL(downloadUrl).host}: not a Zoom host`);
      }
      const zoom = await deps.integrations.zoomFor(meeting.userId);
      const content = await zoom.downloadRecordingFile(downloadUrl, downloadToken);
      await store(meeting, 'zoom', 'vtt', Buffer.from(content), { page: 1, limit: 1 });
    },

    async upload(userId, meetingId, content, format) {
      const meeting = await meetings.requireMeeting(userId, meetingId);
      return store(meeting, 'upload', format, content, { page: 1, limit: DEFAULT_TURNS_PER_PAGE });
    },

    async get(userId, meetingId, page) {
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
