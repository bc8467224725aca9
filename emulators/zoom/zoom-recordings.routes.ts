import type { FastifyInstance } from 'fastify';
import { zoomError, zoomTime, type EmulatedMeeting, type EmulatedRecordingFile, type ZoomRoutesContext } from './zoom-state.js';

/** A recording file as Zoom lists it, in the API and in `recording.*` webhooks. */
export function recordingFileOf(meeting: EmulatedMeeting, file: EmulatedRecordingFile, baseUrl: string) {
  const { content: _content, ...rest } = file;
  return {
    ...rest,
    meeting_id: meeting.uuid,
    recording_start: meeting.start_time,
    recording_end: zoomTime(Date.parse(meeting.start_time) + meeting.duration * 60_000),
    download_url: `${baseUrl}/rec/download/${file.id}`,
    status: 'completed',
  };
}

/** The fields Zoom's recording object (API and webhooks) has around its files. */
export function recordingOf(meeting: EmulatedMeeting, files: EmulatedRecordingFile[], context: Pick<ZoomRoutesContext, 'accountId' | 'host' | 'baseUrl'>) {
  return {
    uuid: meeting.uuid,
    id: meeting.id,
    account_id: context.accountId,
    host_id: meeting.host_id,
    host_email: context.host.email,
    topic: meeting.topic,
    type: meeting.type,
    start_time: meeting.start_time,
    timezone: meeting.timezone,
    duration: meeting.duration,
    share_url: `${context.baseUrl()}/rec/share/${meeting.id}`,
    total_size: files.reduce((sum, file) => sum + file.file_size, 0),
    recording_count: files.length,
    recording_files: files.map((file) => recordingFileOf(meeting, file, context.baseUrl())),
  };
}

/** https://developers.zoom.us/docs/api/meetings/#tag/cloud-recording/GET/meetings/{meetingId}/recordings */
export function registerRecordingRoutes(app: FastifyInstance, context: ZoomRoutesContext & { canDownload: (token: string) => boolean }) {
  const { meetings } = context;

  app.get<{ Params: { meetingId: string } }>('/v2/meetings/:meetingId/recordings', async (request, reply) => {
    if (!context.requireToken(request, reply)) return reply;
    const meeting = meetings.get(request.params.meetingId);
    if (!meeting || meeting.recordingFiles.length === 0) return zoomError(reply, 404, 3301, 'This recording does not exist.');
    return { ...recordingOf(meeting, meeting.recordingFiles, context), download_access_token: context.issueDownloadToken() };
  });

  app.get<{ Params: { fileId: string }; Querystring: { access_token?: string } }>('/rec/download/:fileId', async (request, reply) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? request.query.access_token;
    if (!token || !context.canDownload(token)) return zoomError(reply, 401, 124, 'Invalid access token.');
    const file = [...meetings.values()].flatMap((meeting) => meeting.recordingFiles).find((candidate) => candidate.id === request.params.fileId);
    if (!file) return zoomError(reply, 404, 3301, 'This recording does not exist.');
    return reply.type(file.file_type === 'TRANSCRIPT' ? 'text/vtt; charset=utf-8' : 'application/octet-stream').send(file.content);
  });

  // `share_url` is a web page on Zoom; here a plain one, so the link a user is given works.
  app.get<{ Params: { meetingId: string } }>('/rec/share/:meetingId', async (request, reply) => {
    const meeting = meetings.get(request.params.meetingId);
    if (!meeting || meeting.recordingFiles.length === 0) return reply.status(404).type('text/html; charset=utf-8').send('<p>This recording does not exist.</p>');
    return reply.type('text/html; charset=utf-8').send(`<p>Emulated Zoom recording of “${escapeHtml(meeting.topic)}” (not Zoom).</p>`);
  });
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
