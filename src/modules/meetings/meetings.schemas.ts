import { z } from 'zod';
import { meetingStatuses, participantRoles } from '../../db/schema.js';
import { isoDateTime } from '../../lib/date-time.js';
import { paginationInfo, paginationQuery } from '../../lib/pagination.js';
import { meetingKinds, member, minutesSettingsFields, quorumRule } from './meeting-settings.js';

const futureTime = isoDateTime.refine((value) => Date.parse(value) > Date.now(), { error: 'must be in the future' });

export const participantInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email({ error: 'must be an e-mail address' }).max(255)),
  name: z.string().trim().min(1).max(255).optional(),
});

export const createMeetingBody = z
  .object({
    topic: z.string().trim().min(1).max(500),
    // Zoom keeps at most 2000 characters of an agenda; we refuse longer ones rather than cut them.
    agenda: z.string().max(2000).optional().describe('One item per line: the ata follows it item by item'),
    startTime: isoDateTime,
    duration: z.number().int().min(15).max(480).describe('Minutes'),
    participants: z.array(participantInput).max(500).optional(),
    registration: z.boolean().optional().describe('Participants register on Zoom and get their own join links'),
    onZoom: z
      .boolean()
      .default(true)
      .describe('false: a meeting held elsewhere (in person, another platform), recorded here only; it may be in the past, and its transcript is uploaded'),
    kind: minutesSettingsFields.kind.default('general'),
    members: minutesSettingsFields.members.optional(),
    quorum: minutesSettingsFields.quorum.optional(),
    chair: minutesSettingsFields.chair.optional(),
    secretary: minutesSettingsFields.secretary.optional(),
  })
  .superRefine((body, context) => {
    if (body.onZoom && !futureTime.safeParse(body.startTime).success) {
      context.addIssue({ code: 'custom', path: ['startTime'], message: 'must be in the future for a meeting scheduled on Zoom' });
    }
  });

export const updateMeetingBody = z
  .object({
    topic: z.string().trim().min(1).max(500).optional(),
    agenda: z.string().max(2000).optional(),
    startTime: futureTime.optional(),
    duration: z.number().int().min(15).max(480).optional(),
    kind: minutesSettingsFields.kind.optional(),
    members: minutesSettingsFields.members.nullable().optional().describe('null: no list, the invitees are expected'),
    quorum: minutesSettingsFields.quorum.nullable().optional().describe('null: no quorum rule'),
    chair: minutesSettingsFields.chair.nullable().optional(),
    secretary: minutesSettingsFields.secretary.nullable().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { error: 'send at least one field to change' });

export const listMeetingsQuery = paginationQuery.extend({
  status: z.enum(meetingStatuses).optional(),
  startDate: isoDateTime.optional(),
  endDate: isoDateTime.optional(),
});

export const meetingIdParams = z.object({ id: z.uuid() });

export const meeting = z
  .object({
    id: z.uuid(),
    zoomMeetingId: z.string().nullable(),
    topic: z.string(),
    agenda: z.string().nullable(),
    kind: z.enum(meetingKinds),
    members: z.array(member).nullable(),
    quorum: quorumRule.nullable(),
    chair: z.string().nullable(),
    secretary: z.string().nullable(),
    startTime: z.iso.datetime({ offset: true }),
    duration: z.number().int(),
    status: z.enum(meetingStatuses),
    joinUrl: z.string().nullable(),
    recordingUrl: z.string().nullable(),
    transcriptUrl: z.string().nullable(),
    hasRecording: z.boolean(),
    hasTranscript: z.boolean(),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'Meeting' });

export const participant = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string().nullable(),
    role: z.enum(participantRoles),
    joinedAt: z.iso.datetime({ offset: true }).nullable(),
    leftAt: z.iso.datetime({ offset: true }).nullable(),
    duration: z.number().int().nullable(),
  })
  .meta({ id: 'Participant' });

const zoomStartUrl = z.string().describe("The host's start link: it holds the host's zak, a credential Zoom expires about two hours after making it");
export const createMeetingResponse = z.object({ meeting, zoomJoinUrl: z.string().optional(), zoomStartUrl: zoomStartUrl.optional() });
export const startUrlResponse = z.object({ startUrl: zoomStartUrl });
export const meetingResponse = z.object({ meeting });
export const meetingDetailsResponse = z.object({ meeting, participants: z.array(participant), hasMinutes: z.boolean() });
export const meetingsResponse = z.object({ meetings: z.array(meeting), pagination: paginationInfo });
export const addParticipantsBody = z.object({ participants: z.array(participantInput).min(1).max(500) });
export const participantsResponse = z.object({ participants: z.array(participant) });
export const recordingResponse = z.object({
  hasRecording: z.boolean(),
  recordingUrl: z.string().optional(),
  transcriptUrl: z.string().optional(),
  recordingFiles: z.array(z.object({ id: z.string(), fileType: z.string(), downloadUrl: z.string(), fileSize: z.number() })),
});

export type CreateMeetingInput = z.infer<typeof createMeetingBody>;
export type UpdateMeetingInput = z.infer<typeof updateMeetingBody>;
export type ListMeetingsQuery = z.infer<typeof listMeetingsQuery>;
export type ParticipantInput = z.infer<typeof participantInput>;
