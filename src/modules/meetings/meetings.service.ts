import type { Database, QueryRunner, Transaction } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { runIdempotent } from '../../db/idempotency.js';
import { paginationOf } from '../../lib/pagination.js';
import type { RequestContext } from '../../lib/request-context.js';
import { ProviderError } from '../../providers/provider-error.js';
import type { ZoomClient } from '../../providers/zoom/zoom.client.js';
import type { ZoomMeeting } from '../../providers/zoom/zoom.schemas.js';
import type { AuditService } from '../audit/audit.service.js';
import type { EventsService } from '../events/events.service.js';
import type { IntegrationsService } from '../integrations/integrations.service.js';
import {
  advanceMeetingStatus,
  findMeetingByZoomId,
  upsertParticipantPresence,
  findOwnedMeeting,
  hasMinutes,
  insertMeeting,
  insertParticipants,
  listMeetings,
  listParticipants,
  updateMeeting,
  type MeetingRow,
  type ParticipantRow,
} from './meetings.repo.js';
import type { CreateMeetingInput, ListMeetingsQuery, ParticipantInput, UpdateMeetingInput } from './meetings.schemas.js';

export function toMeetingResponse(row: MeetingRow) {
  return {
    id: row.id,
    zoomMeetingId: row.zoomMeetingId,
    topic: row.topic,
    agenda: row.agenda,
    startTime: row.startTime.toISOString(),
    duration: row.duration,
    status: row.status,
    joinUrl: row.joinUrl,
    recordingUrl: row.recordingUrl,
    transcriptUrl: row.transcriptUrl,
    hasRecording: row.hasRecording,
    hasTranscript: row.hasTranscript,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function toParticipantResponse(row: ParticipantRow) {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    joinedAt: row.joinedAt?.toISOString() ?? null,
    leftAt: row.leftAt?.toISOString() ?? null,
    duration: row.duration,
  };
}

/** Zoom wants `yyyy-MM-ddTHH:mm:ssZ` in UTC. */
const zoomTime = (iso: string) => new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');

const isZoomNotFound = (error: unknown) => error instanceof ProviderError && error.provider === 'zoom' && error.status === 404;

type Created = { meeting: ReturnType<typeof toMeetingResponse>; zoomJoinUrl?: string; zoomStartUrl?: string };

/** What an idempotent creation keeps for its replays: not the start link, a credential. */
const withoutStartUrl = ({ zoomStartUrl: _startUrl, ...kept }: Created): Created => kept;

function splitName(participant: ParticipantInput) {
  const [first, ...rest] = (participant.name ?? participant.email.split('@')[0]!).split(/\s+/);
  return { first_name: first!, last_name: rest.join(' ') };
}

export type MeetingsService = ReturnType<typeof createMeetingsService>;

export function createMeetingsService(deps: { database: Database; integrations: IntegrationsService; audit: AuditService; events: Pick<EventsService, 'publish'> }) {
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

  /** Registrants on Zoom for the meetings that take registration; a failure for one does not stop the others. */
  async function registerOnZoom(zoom: ZoomClient, zoomMeetingId: string, list: ParticipantInput[]) {
    for (const participant of list) {
      await zoom.meetingRegistrantCreate(zoomMeetingId, { email: participant.email, ...splitName(participant) });
    }
  }

  /** The meeting and its participants, as one change; `zoom` is the meeting Zoom created, if any. */
  async function storeMeeting(userId: string, input: CreateMeetingInput, zoom: ZoomMeeting | undefined, context: RequestContext) {
    return database.transaction(async ({ db }) => {
      const row = await insertMeeting(db, {
        userId,
        zoomMeetingId: zoom?.id ?? null,
        topic: input.topic,
        agenda: input.agenda ?? null,
        startTime: new Date(input.startTime),
        duration: input.duration,
        joinUrl: zoom?.join_url ?? null,
      });
      await insertParticipants(db, row.id, input.participants ?? []);
      await audit.record(
        { userId, action: 'meeting.created', resourceType: 'meeting', resourceId: row.id, details: { zoomMeetingId: zoom?.id ?? null, topic: input.topic }, context },
        db,
      );
      return row;
    });
  }

  /** Creates the meeting on Zoom (unless held elsewhere), then stores it; a failure to store deletes it on Zoom again. */
  async function createOnce(userId: string, input: CreateMeetingInput, context: RequestContext): Promise<{ status: number; body: Created }> {
    if (!input.onZoom) return { status: 201, body: { meeting: toMeetingResponse(await storeMeeting(userId, input, undefined, context)) } };
    const zoom = await integrations.zoomFor(userId);
    const created = await zoom.meetingCreate({
      topic: input.topic,
      type: 2,
      start_time: zoomTime(input.startTime),
      duration: input.duration,
      timezone: 'UTC',
      ...(input.agenda ? { agenda: input.agenda } : {}),
      settings: { approval_type: input.registration ? 0 : 2 },
    });
    try {
      if (input.registration && input.participants?.length) await registerOnZoom(zoom, created.id, input.participants);
      const meeting = await storeMeeting(userId, input, created, context);
      return { status: 201, body: { meeting: toMeetingResponse(meeting), zoomJoinUrl: created.join_url, zoomStartUrl: created.start_url ?? created.join_url } };
    } catch (error) {
      await zoom.meetingDelete(created.id).catch(() => undefined);
      throw error;
    }
  }

  /**
   * The host's start link, fresh from Zoom: it carries the host's zak, which starts the meeting as
   * them and which Zoom expires about two hours later, so Atas keeps none.
   */
  async function startUrlOf(userId: string, zoomMeetingId: string): Promise<string> {
    const zoom = await integrations.zoomFor(userId);
    const meeting = await zoom.meeting(zoomMeetingId);
    return meeting.start_url ?? meeting.join_url;
  }

  return {
    requireMeeting,
    findByZoomId: (zoomMeetingId: string) => findMeetingByZoomId(database.db, zoomMeetingId),
    participantsOf: (meetingId: string) => listParticipants(database.db, meetingId),

    /** Zoom said the meeting started, ended or was deleted. A cancelled meeting stays cancelled. */
    applyZoomStatus: (meeting: MeetingRow, status: 'in_progress' | 'completed' | 'cancelled') => advanceStatus(meeting, status),

    recordPresence: (meetingId: string, presence: Parameters<typeof upsertParticipantPresence>[2]) =>
      upsertParticipantPresence(database.db, meetingId, presence),

    async recordRecording(meetingId: string, files: { recordingUrl?: string; transcriptUrl?: string }) {
      await updateMeeting(database.db, meetingId, {
        ...(files.recordingUrl ? { hasRecording: true, recordingUrl: files.recordingUrl } : {}),
        ...(files.transcriptUrl ? { transcriptUrl: files.transcriptUrl } : {}),
      });
    },

    markTranscriptStored: (db: QueryRunner, meetingId: string) => updateMeeting(db, meetingId, { hasTranscript: true }).then(() => undefined),

    /**
     * Creates the meeting on Zoom, then stores it. A Zoom failure leaves no row; a failure to
     * store deletes the Zoom meeting again. With an Idempotency-Key, a retry gets the first answer
     * with a start link asked of Zoom again.
     */
    async create(userId: string, input: CreateMeetingInput, idempotencyKey: string | undefined, context: RequestContext) {
      const request = { userId, key: idempotencyKey, method: 'POST', path: '/v1/meetings', payload: input };
      const outcome = await runIdempotent(database.db, request, () => createOnce(userId, input, context), { storedBody: withoutStartUrl });
      const { zoomMeetingId } = outcome.body.meeting;
      if (!outcome.replayed || !zoomMeetingId) return outcome;
      return { ...outcome, body: { ...outcome.body, zoomStartUrl: await startUrlOf(userId, zoomMeetingId) } };
    },

    /** A start link for the host, asked of Zoom each time (see `startUrlOf`). */
    async startUrl(userId: string, meetingId: string) {
      const meeting = await requireMeeting(userId, meetingId);
      if (meeting.status === 'cancelled') throw new AppError('meeting_cancelled', 'This meeting was cancelled');
      if (!meeting.zoomMeetingId) throw new AppError('meeting_not_on_zoom', 'This meeting is not held on Zoom');
      try {
        return { startUrl: await startUrlOf(userId, meeting.zoomMeetingId) };
      } catch (error) {
        if (!isZoomNotFound(error)) throw error;
        await advanceStatus(meeting, 'cancelled');
        throw new AppError('meeting_cancelled', 'Zoom no longer has this meeting; it is now marked cancelled');
      }
    },

    async list(userId: string, query: ListMeetingsQuery) {
      const { rows, total } = await listMeetings(database.db, userId, query);
      return { meetings: rows.map(toMeetingResponse), pagination: paginationOf(query, total) };
    },

    async details(userId: string, meetingId: string) {
      const meeting = await requireMeeting(userId, meetingId);
      const [participants, minutes] = await Promise.all([listParticipants(database.db, meeting.id), hasMinutes(database.db, meeting.id)]);
      return { meeting: toMeetingResponse(meeting), participants: participants.map(toParticipantResponse), hasMinutes: minutes };
    },

    /** Zoom first; a meeting Zoom no longer has is marked cancelled (409 meeting_cancelled). */
    async update(userId: string, meetingId: string, changes: UpdateMeetingInput, context: RequestContext) {
      const meeting = await requireMeeting(userId, meetingId);
      if (meeting.status === 'cancelled') throw new AppError('meeting_cancelled', 'This meeting was cancelled');
      if (meeting.zoomMeetingId) {
        const zoom = await integrations.zoomFor(userId);
        try {
          await zoom.meetingUpdate(meeting.zoomMeetingId, {
            ...(changes.topic === undefined ? {} : { topic: changes.topic }),
            ...(changes.agenda === undefined ? {} : { agenda: changes.agenda }),
            ...(changes.startTime === undefined ? {} : { start_time: zoomTime(changes.startTime) }),
            ...(changes.duration === undefined ? {} : { duration: changes.duration }),
          });
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
        });
        await audit.record(
          { userId, action: 'meeting.updated', resourceType: 'meeting', resourceId: meeting.id, details: { changed: Object.keys(changes) }, context },
          db,
        );
        return { meeting: toMeetingResponse(updated) };
      });
    },

    /** Cancels on Zoom (already gone is fine) and keeps the row, its transcript and its minutes. */
    async cancel(userId: string, meetingId: string, context: RequestContext) {
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

    /** Stores the participants (an e-mail already there is skipped) and registers the new ones on Zoom when it takes registration. */
    async addParticipants(userId: string, meetingId: string, list: ParticipantInput[], context: RequestContext) {
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

    async recording(userId: string, meetingId: string) {
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
