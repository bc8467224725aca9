import type { Database, QueryRunner, Transaction } from '../../db/client.js';
import type { IdempotentOutcome } from '../../db/idempotency.js';
import { AppError } from '../../lib/errors.js';
import { paginationOf } from '../../lib/pagination.js';
import type { RequestContext } from '../../lib/request-context.js';
import type { AuditService } from '../audit/audit.service.js';
import type { EventsService } from '../events/events.service.js';
import type { IntegrationsService } from '../integrations/integrations.service.js';
import { createMeetingCreation, type CreatedMeeting } from './meetings.create.js';
import {
  advanceMeetingStatus,
  findMeetingByZoomId,
  upsertParticipantPresence,
  findOwnedMeeting,
  hasMinutes,
  insertParticipants,
  listMeetings,
  listParticipants,
  updateMeeting,
  type MeetingRow,
  type ParticipantRow,
} from './meetings.repo.js';
import { toMeetingResponse, toParticipantResponse, type MeetingResponse, type ParticipantResponse } from './meetings.responses.js';
import type { CreateMeetingInput, ListMeetingsQuery, ParticipantInput, UpdateMeetingInput } from './meetings.schemas.js';
import { isZoomNotFound, registerOnZoom, startUrlOf, zoomTime } from './meetings.zoom.js';


type MeetingRecording = {
  hasRecording: boolean;
  recordingUrl?: string;
  transcriptUrl?: string;
  recordingFiles: { id: string; fileType: string; downloadUrl: string; fileSize: number }[];
};

/** A user's meetings, scheduled on Zoom or held elsewhere, and what Zoom reports of them. */
export interface MeetingsService {
  /**
   * The meeting, when it is the user's.
   * @throws AppError not_found (404) otherwise: another user's meeting is simply not found.
   */
  requireMeeting(userId: string, meetingId: string): Promise<MeetingRow>;
  /** The meeting Atas scheduled as this Zoom meeting, if any. */
  findByZoomId(zoomMeetingId: string): Promise<MeetingRow | undefined>;
  /** The meeting's participants, in the order they were added. */
  participantsOf(meetingId: string): Promise<ParticipantRow[]>;
  /** Zoom said the meeting started, ended or was deleted. A cancelled meeting stays cancelled. */
  applyZoomStatus(meeting: MeetingRow, status: 'in_progress' | 'completed' | 'cancelled'): Promise<void>;
  /** A participant joined or left on Zoom; one the meeting did not list is added. */
  recordPresence(meetingId: string, presence: { email: string; name: string | null; joinedAt?: Date; leftAt?: Date }): Promise<void>;
  /** Where Zoom keeps the meeting's recording and transcript. */
  recordRecording(meetingId: string, files: { recordingUrl?: string; transcriptUrl?: string }): Promise<void>;
  /** Marks the meeting as having a transcript, in the transaction that stores it. */
  markTranscriptStored(db: QueryRunner, meetingId: string): Promise<void>;
  /**
   * Creates the meeting on Zoom, then stores it. A Zoom failure leaves no row; a failure to
   * store deletes the Zoom meeting again. With an Idempotency-Key, a retry gets the first answer
   * with a start link asked of Zoom again.
   */
  create(userId: string, input: CreateMeetingInput, idempotencyKey: string | undefined, context: RequestContext): Promise<IdempotentOutcome<CreatedMeeting>>;
  /**
   * A start link for the host, asked of Zoom each time: it holds the host's zak, which Atas keeps none of.
   * @throws AppError meeting_cancelled (409), also when Zoom no longer has the meeting; meeting_not_on_zoom (409).
   */
  startUrl(userId: string, meetingId: string): Promise<{ startUrl: string }>;
  /** The user's meetings, newest start first, a page at a time. */
  list(userId: string, query: ListMeetingsQuery): Promise<{ meetings: MeetingResponse[]; pagination: ReturnType<typeof paginationOf> }>;
  /** The meeting with its participants, and whether minutes were written of it. */
  details(userId: string, meetingId: string): Promise<{ meeting: MeetingResponse; participants: ParticipantResponse[]; hasMinutes: boolean }>;
  /** Zoom first; a meeting Zoom no longer has is marked cancelled (409 meeting_cancelled). */
  update(userId: string, meetingId: string, changes: UpdateMeetingInput, context: RequestContext): Promise<{ meeting: MeetingResponse }>;
  /** Cancels on Zoom (already gone is fine) and keeps the row, its transcript and its minutes. */
  cancel(userId: string, meetingId: string, context: RequestContext): Promise<void>;
  /** Stores the participants (an e-mail already there is skipped) and registers the new ones on Zoom when it takes registration. */
  addParticipants(userId: string, meetingId: string, list: ParticipantInput[], context: RequestContext): Promise<{ participants: ParticipantResponse[] }>;
  /** The recording Zoom keeps of the meeting; none for a meeting not on Zoom or one Zoom no longer has. */
  recording(userId: string, meetingId: string): Promise<MeetingRecording>;
}

export interface MeetingsServiceDeps {
  database: Database;
  integrations: Pick<IntegrationsService, 'zoomFor'>;
  audit: Pick<AuditService, 'record'>;
  events: Pick<EventsService, 'publish'>;
}

export function createMeetingsService(deps: MeetingsServiceDeps): MeetingsService {
  const { database, integrations, audit, events } = deps;

  /** The new status and its event, as one change; nothing when the status does not move. */
  async function advanceStatus(meeting: MeetingRow, status: 'in_progress' | 'completed' | 'cancelled', transaction?: Transaction) {
    const advance = async (tx: Transaction) => {
      if (await advanceMeetingStatus(tx.db, meeting.id, status)) await events.publish(tx, meeting.userId, 'meeting.status_changed', { meetingId: meeting.id, status });
    };
    return transaction ? advance(transaction) : database.transaction(advance);
  }

  async function requireMeeting(userId: string, meetingId: string): Promise<MeetingRow> {
    const meeting = await findOwnedMeeting(database.db, userId, meetingId);
    if (!meeting) throw new AppError('not_found', 'Meeting not found');
    return meeting;
  }

  return {
    ...createMeetingCreation(deps),
    requireMeeting,
    findByZoomId: (zoomMeetingId) => findMeetingByZoomId(database.db, zoomMeetingId),
    participantsOf: (meetingId) => listParticipants(database.db, meetingId),
    applyZoomStatus: (meeting, status) => advanceStatus(meeting, status),
    recordPresence: (meetingId, presence) => upsertParticipantPresence(database.db, meetingId, presence),

    async recordRecording(meetingId, files) {
      await updateMeeting(database.db, meetingId, {
        ...(files.recordingUrl ? { hasRecording: true, recordingUrl: files.recordingUrl } : {}),
        ...(files.transcriptUrl ? { transcriptUrl: files.transcriptUrl } : {}),
      });
    },

    markTranscriptStored: (db, meetingId) => updateMeeting(db, meetingId, { hasTranscript: true }).then(() => undefined),

    async startUrl(userId, meetingId) {
      const meeting = await requireMeeting(userId, meetingId);
      if (meeting.status === 'cancelled') throw new AppError('meeting_cancelled', 'This meeting was cancelled');
      if (!meeting.zoomMeetingId) throw new AppError('meeting_not_on_zoom', 'This meeting is not held on Zoom');
      try {
        return { startUrl: await startUrlOf(await integrations.zoomFor(userId), meeting.zoomMeetingId) };
      } catch (error) {
        if (!isZoomNotFound(error)) throw error;
        await advanceStatus(meeting, 'cancelled');
        throw new AppError('meeting_cancelled', 'Zoom no longer has this meeting; it is now marked cancelled');
      }
    },

    async list(userId, query) {
      const { rows, total } = await listMeetings(database.db, userId, query);
      return { meetings: rows.map(toMeetingResponse), pagination: paginationOf(query, total) };
    },

    async details(userId, meetingId) {
      const meeting = await requireMeeting(userId, meetingId);
      const [participants, minutes] = await Promise.all([listParticipants(database.db, meeting.id), hasMinutes(database.db, meeting.id)]);
      return { meeting: toMeetingResponse(meeting), participants: participants.map(toParticipantResponse), hasMinutes: minutes };
    },

    async update(userId, meetingId, changes, context) {
      const meeting = await requireMeeting(userId, meetingId);
      if (meeting.status === 'cancelled') throw new AppError('meeting_cancelled', 'This meeting was cancelled');
      const zoomChanges = {
        ...(changes.topic === undefined ? {} : { topic: changes.topic }),
        ...(changes.agenda === undefined ? {} : { agenda: changes.agenda }),
        ...(changes.startTime === undefined ? {} : { start_time: zoomTime(changes.startTime) }),
        ...(changes.duration === undefined ? {} : { duration: changes.duration }),
      };
      // The ata's settings are ours alone: Zoom is told only of what it holds.
      if (meeting.zoomMeetingId && Object.keys(zoomChanges).length > 0) {
        const zoom = await integrations.zoomFor(userId);
        try {
          await zoom.meetingUpdate(meeting.zoomMeetingId, zoomChanges);
        } catch (error) {
          if (!isZoomNotFound(error)) throw error;
          await advanceStatus(meeting, 'cancelled');
          throw new AppError('meeting_cancelled', 'Zoom no longer has this meeting; it is now marked cancelled');
        }
      }
      return database.transaction(async ({ db }) => {
        const updated = await updateMeeting(db, meeting.id, {
          ...(changes.topic === undefined ? {} : { topic: changes.topic }),
          ...(changes.agenda === undefined ? {} : { agenda: changes.agenda }),
          ...(changes.startTime === undefined ? {} : { startTime: new Date(changes.startTime) }),
          ...(changes.duration === undefined ? {} : { duration: changes.duration }),
          ...settingsChanges(changes),
        });
        await audit.record(
          { userId, action: 'meeting.updated', resourceType: 'meeting', resourceId: meeting.id, details: { changed: Object.keys(changes) }, context },
          db,
        );
        return { meeting: toMeetingResponse(updated) };
      });
    },

    async cancel(userId, meetingId, context) {
      const meeting = await requireMeeting(userId, meetingId);
      if (meeting.zoomMeetingId && meeting.status !== 'cancelled') {
        const zoom = await integrations.zoomFor(userId);
        await zoom.meetingDelete(meeting.zoomMeetingId).catch((error: unknown) => {
          if (!isZoomNotFound(error)) throw error;
        });
      }
      await database.transaction(async (tx) => {
        const { db } = tx;
        await advanceStatus(meeting, 'cancelled', tx);
        await audit.record({ userId, action: 'meeting.cancelled', resourceType: 'meeting', resourceId: meeting.id, context }, db);
      });
    },

    async addParticipants(userId, meetingId, list, context) {
      const meeting = await requireMeeting(userId, meetingId);
      const unique = [...new Map(list.map((participant) => [participant.email, participant])).values()];
      const added = await database.transaction(async ({ db }) => {
        const rows = await insertParticipants(db, meeting.id, unique);
        await audit.record(
          { userId, action: 'meeting.participants_added', resourceType: 'meeting', resourceId: meeting.id, details: { added: rows.length }, context },
          db,
        );
        return rows;
      });
      if (meeting.zoomMeetingId && added.length > 0) {
        const zoom = await integrations.zoomFor(userId);
        const zoomMeeting = await zoom.meeting(meeting.zoomMeetingId);
        if (zoomMeeting.settings?.approval_type !== 2) {
          await registerOnZoom(zoom, meeting.zoomMeetingId, unique.filter((participant) => added.some((row) => row.email === participant.email)));
        }
      }
      return { participants: (await listParticipants(database.db, meeting.id)).map(toParticipantResponse) };
    },

    async recording(userId, meetingId) {
      const meeting = await requireMeeting(userId, meetingId);
      const empty = { hasRecording: false, recordingFiles: [] };
      if (!meeting.zoomMeetingId) return empty;
      const zoom = await integrations.zoomFor(userId);
      try {
        const recordings = await zoom.recordingGet(meeting.zoomMeetingId);
        const files = recordings.recording_files;
        const transcript = files.find((file) => file.file_type === 'TRANSCRIPT');
        const video = files.find((file) => file.file_type === 'MP4') ?? files.find((file) => file.file_type !== 'TRANSCRIPT');
        return {
          hasRecording: files.length > 0,
          ...(video ? { recordingUrl: recordings.share_url ?? video.download_url } : {}),
          ...(transcript ? { transcriptUrl: transcript.download_url } : {}),
          recordingFiles: files.map((file) => ({ id: file.id, fileType: file.file_type, downloadUrl: file.download_url, fileSize: file.file_size ?? 0 })),
        };
      } catch (error) {
        if (isZoomNotFound(error)) return empty;
        throw error;
      }
    },
  };
}

/** The ata's settings a change sets: given ones only, null clearing one. */
function settingsChanges(changes: UpdateMeetingInput) {
  const { kind, members, quorum, chair, secretary } = changes;
  return Object.fromEntries(Object.entries({ kind, members, quorum, chair, secretary }).filter(([, value]) => value !== undefined));
}
