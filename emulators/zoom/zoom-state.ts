import type { FastifyReply, FastifyRequest } from 'fastify';

/** What the Zoom emulator keeps in memory, and the helpers its routes share. */

export interface EmulatedUser {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
}

export interface EmulatedRegistrant {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  status: 'approved' | 'pending';
  create_time: string;
  join_url: string;
}

export interface EmulatedParticipant {
  id: string;
  name: string;
  user_email: string;
}

export interface EmulatedMeeting {
  id: number;
  uuid: string;
  host_id: string;
  topic: string;
  type: number;
  start_time: string;
  duration: number;
  timezone: string;
  agenda: string;
  created_at: string;
  join_url: string;
  start_url: string;
  password: string;
  settings: Record<string, unknown>;
  registrants: EmulatedRegistrant[];
  recordingFiles: EmulatedRecordingFile[];
  /** Set once the meeting has ended: its past-meeting records exist from then on. */
  ended?: { end_time: string; participants: EmulatedParticipant[] };
}

export interface EmulatedRecordingFile {
  id: string;
  file_type: string;
  file_extension: string;
  file_size: number;
  recording_type: string;
  content: string;
}

export interface ZoomRoutesContext {
  accountId: string;
  host: EmulatedUser;
  meetings: Map<string, EmulatedMeeting>;
  /** The emulator's own origin, known once it listens. */
  baseUrl: () => string;
  /** Answers Zoom's 401 (code 124) and returns false unless the request carries a live access token. */
  requireToken: (request: FastifyRequest, reply: FastifyReply) => boolean;
  issueDownloadToken: () => string;
}

/** Zoom's error body: `{ code, message }` (https://developers.zoom.us/docs/api/rest/error-definitions/). */
export function zoomError(reply: FastifyReply, status: number, code: number, message: string) {
  return reply.status(status).send({ code, message });
}

/** Zoom writes times in UTC to the second: `2030-01-10T13:00:00Z`. */
export const zoomTime = (time: string | number | Date = new Date()) => new Date(time).toISOString().replace(/\.\d+Z$/, 'Z');
