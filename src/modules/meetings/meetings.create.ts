import type { Database } from '../../db/client.js';
import { runIdempotent, type IdempotentOutcome } from '../../db/idempotency.js';
import type { RequestContext } from '../../lib/request-context.js';
import type { ZoomMeeting } from '../../providers/zoom/zoom.schemas.js';
import type { AuditService } from '../audit/audit.service.js';
import type { IntegrationsService } from '../integrations/integrations.service.js';
import { insertMeeting, insertParticipants } from './meetings.repo.js';
import { toMeetingResponse, type MeetingResponse } from './meetings.responses.js';
import type { CreateMeetingInput } from './meetings.schemas.js';
import { registerOnZoom, startUrlOf, zoomTime } from './meetings.zoom.js';

export type CreatedMeeting = { meeting: MeetingResponse; zoomJoinUrl?: string; zoomStartUrl?: string };

/** What an idempotent creation keeps for its replays: not the start link, a credential. */
const withoutStartUrl = ({ zoomStartUrl: _startUrl, ...kept }: CreatedMeeting): CreatedMeeting => kept;

/** Scheduling a meeting: on Zoom first (unless held elsewhere), then stored; undone on Zoom when it cannot be stored. */
export function createMeetingCreation(deps: { database: Database; integrations: Pick<IntegrationsService, 'zoomFor'>; audit: Pick<AuditService, 'record'> }) {
  const { database, integrations, audit } = deps;

  /** The meeting and its participants, as one change; `zoom` is the meeting Zoom created, if any. */
  async function storeMeeting(userId: string, input: CreateMeetingInput, zoom: ZoomMeeting | undefined, context: RequestContext) {
    return database.transaction(async ({ db }) => {
      const row = await insertMeeting(db, {
        userId,
        zoomMeetingId: zoom?.id ?? null,
        topic: input.topic,
        agenda: input.agenda ?? null,
        kind: input.kind,
        members: input.members ?? null,
        quorum: input.quorum ?? null,
        chair: input.chair ?? null,
        secretary: input.secretary ?? null,
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
  async function createOnce(userId: string, input: CreateMeetingInput, context: RequestContext): Promise<{ status: number; body: CreatedMeeting }> {
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

  return {
    async create(userId: string, input: CreateMeetingInput, idempotencyKey: string | undefined, context: RequestContext): Promise<IdempotentOutcome<CreatedMeeting>> {
      const request = { userId, key: idempotencyKey, method: 'POST', path: '/v1/meetings', payload: input };
      const outcome = await runIdempotent(database.db, request, () => createOnce(userId, input, context), { storedBody: withoutStartUrl });
      const { zoomMeetingId } = outcome.body.meeting;
      if (!outcome.replayed || !zoomMeetingId) return outcome;
      return { ...outcome, body: { ...outcome.body, zoomStartUrl: await startUrlOf(await integrations.zoomFor(userId), zoomMeetingId) } };
    },
  };
}
