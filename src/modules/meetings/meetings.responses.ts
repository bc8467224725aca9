import type { MeetingRow, ParticipantRow } from './meetings.repo.js';

export type MeetingResponse = ReturnType<typeof toMeetingResponse>;
export type ParticipantResponse = ReturnType<typeof toParticipantResponse>;

export function toMeetingResponse(row: MeetingRow) {
  return {
    id: row.id,
    zoomMeetingId: row.zoomMeetingId,
    topic: row.topic,
    agenda: row.agenda,
    kind: row.kind,
    members: row.members,
    quorum: row.quorum,
    chair: row.chair,
    secretary: row.secretary,
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

export function toParticipantResponse(row: ParticipantRow) {
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
