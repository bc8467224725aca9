import { z } from 'zod';

/** https://developers.zoom.us/docs/internal-apps/s2s-oauth/ */
export const zoomTokenResponse = z.object({
  access_token: z.string(),
  token_type: z.string(),
  expires_in: z.number(),
  scope: z.string().optional(),
});

/** https://developers.zoom.us/docs/api/meetings/#tag/meetings/POST/users/{userId}/meetings */
export const zoomMeeting = z.object({
  id: z.union([z.number(), z.string()]).transform(String),
  uuid: z.string(),
  host_id: z.string().optional(),
  topic: z.string(),
  start_time: z.string().optional(),
  duration: z.number().optional(),
  timezone: z.string().optional(),
  agenda: z.string().optional(),
  join_url: z.string(),
  start_url: z.string().optional(),
  settings: z.object({ approval_type: z.number().optional() }).passthrough().optional(),
});
export type ZoomMeeting = z.infer<typeof zoomMeeting>;

/** https://developers.zoom.us/docs/api/meetings/#tag/meetings/POST/meetings/{meetingId}/registrants */
export const zoomRegistrant = z.object({
  registrant_id: z.string(),
  join_url: z.string(),
});

/** https://developers.zoom.us/docs/api/meetings/#tag/cloud-recording/GET/meetings/{meetingId}/recordings */
export const zoomRecordingFile = z.object({
  id: z.string(),
  file_type: z.string(),
  file_extension: z.string().optional(),
  file_size: z.number().optional(),
  download_url: z.string(),
  status: z.string().optional(),
  recording_type: z.string().optional(),
});
export type ZoomRecordingFile = z.infer<typeof zoomRecordingFile>;

export const zoomRecordings = z.object({
  id: z.union([z.number(), z.string()]).transform(String),
  uuid: z.string(),
  share_url: z.string().optional(),
  recording_files: z.array(zoomRecordingFile).default([]),
  download_access_token: z.string().optional(),
});
export type ZoomRecordings = z.infer<typeof zoomRecordings>;

/** Zoom's error body: `{ code, message }` (e.g. 124 invalid or expired token, 3001 meeting not found). */
export const zoomErrorCodeOf = (body: unknown): string | undefined => {
  if (body && typeof body === 'object') {
    if ('code' in body) return String(body.code);
    if ('error' in body) return String(body.error);
  }
  return undefined;
};
