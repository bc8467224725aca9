import { createHmac, randomBytes, randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { acceptEmptyJsonBodies } from '../../src/lib/json-bodies.js';
import { installFailureSwitches } from '../shared/failures.js';

/**
 * A local Zoom: Server-to-Server OAuth token endpoint and the meeting, registrant and recording
 * endpoints of Zoom's API v2 (paths, status codes, bodies and error codes as Zoom documents),
 * state in memory. It can sign and send webhooks, and fail on demand. Not Zoom: say so.
 */

export interface ZoomEmulatorCredentials {
  accountId: string;
  clientId: string;
  clientSecret: string;
  webhookSecret: string;
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
  registrants: { id: string; email: string; first_name: string; last_name?: string; join_url: string }[];
  recordingFiles: EmulatedRecordingFile[];
}

export interface EmulatedRecordingFile {
  id: string;
  file_type: string;
  file_extension: string;
  file_size: number;
  recording_type: string;
  content: string;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
}

const TOKEN_TTL_SEC = 3600;
const HOST_ID = 'emulatedHostId00001';

function zoomError(reply: FastifyReply, status: number, code: number, message: string) {
  return reply.status(status).send({ code, message });
}

export async function startZoomEmulator(options: { credentials: ZoomEmulatorCredentials; port?: number; host?: string }) {
  const { credentials } = options;
  const app = Fastify({ logger: false, forceCloseConnections: true });
  // Zoom takes a DELETE with `Content-Type: application/json` and no body, as its SDK sends it.
  acceptEmptyJsonBodies(app);
  const meetings = new Map<string, EmulatedMeeting>();
  const accessTokens = new Map<string, number>(); // token → expiry (ms)
  const downloadTokens = new Set<string>();
  const received: ReceivedRequest[] = [];
  let baseUrl = '';

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  const failures = installFailureSwitches(app, { appliesTo: (url) => url.startsWith('/v2/') || url.startsWith('/oauth/') });

  app.addHook('preHandler', async (request) => {
    if (request.url.startsWith('/v2/')) {
      const [path, search = ''] = request.url.split('?');
      received.push({
        method: request.method,
        path: path!,
        query: Object.fromEntries(new URLSearchParams(search)),
        body: request.body,
        authorization: request.headers.authorization,
      });
    }
  });

  // https://developers.zoom.us/docs/internal-apps/s2s-oauth/
  app.post('/oauth/token', async (request, reply) => {
    const expected = `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`;
    if (request.headers.authorization !== expected) {
      return reply.status(401).send({ reason: 'Invalid client_id or client_secret', error: 'invalid_client' });
    }
    const form = (request.body ?? {}) as Record<string, string>;
    if (form.grant_type !== 'account_credentials') {
      return reply.status(400).send({ reason: 'Unsupported grant type', error: 'unsupported_grant_type' });
    }
    if (form.account_id !== credentials.accountId) {
      return reply.status(400).send({ reason: 'Invalid account_id', error: 'invalid_request' });
    }
    const token = `emulated-zoom-${randomBytes(16).toString('hex')}`;
    accessTokens.set(token, Date.now() + TOKEN_TTL_SEC * 1000);
    return {
      access_token: token,
      token_type: 'bearer',
      expires_in: TOKEN_TTL_SEC,
      scope: 'meeting:read:admin meeting:write:admin recording:read:admin user:read:admin',
      api_url: baseUrl,
    };
  });

  function requireToken(request: FastifyRequest, reply: FastifyReply): boolean {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const expiresAt = token ? accessTokens.get(token) : undefined;
    if (!expiresAt) {
      void zoomError(reply, 401, 124, 'Invalid access token.');
      return false;
    }
    if (expiresAt <= Date.now()) {
      void zoomError(reply, 401, 124, 'Access token is expired.');
      return false;
    }
    return true;
  }

  const meetingInfo = ({ registrants: _registrants, recordingFiles: _files, ...meeting }: EmulatedMeeting) => meeting;
  // Zoom mints a new zak for every start link it hands out.
  const startUrlOf = (id: number) => `${baseUrl}/s/${id}?zak=${randomBytes(12).toString('hex')}`;

  app.post<{ Params: { userId: string }; Body: Record<string, unknown> }>('/v2/users/:userId/meetings', async (request, reply) => {
    if (!requireToken(request, reply)) return reply;
    const body = request.body ?? {};
    if (typeof body.topic !== 'string' || body.topic.length === 0) return zoomError(reply, 400, 300, 'Validation Failed.');
    const id = randomInt(10_000_000_000, 99_999_999_999);
    const password = randomBytes(4).toString('hex');
    const meeting: EmulatedMeeting = {
      id,
      uuid: `${randomBytes(16).toString('base64')}`,
      host_id: HOST_ID,
      topic: body.topic.slice(0, 200),
      type: typeof body.type === 'number' ? body.type : 2,
      start_time: typeof body.start_time === 'string' ? new Date(body.start_time).toISOString().replace('.000Z', 'Z') : new Date().toISOString(),
      duration: typeof body.duration === 'number' ? body.duration : 60,
      timezone: typeof body.timezone === 'string' ? body.timezone : 'UTC',
      agenda: typeof body.agenda === 'string' ? body.agenda.slice(0, 2000) : '',
      created_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      join_url: `${baseUrl}/j/${id}?pwd=${password}`,
      start_url: startUrlOf(id),
      password,
      settings: { approval_type: 2, ...(body.settings as Record<string, unknown> | undefined) },
      registrants: [],
      recordingFiles: [],
    };
    meetings.set(String(id), meeting);
    void reply.header('content-location', `${baseUrl}/v2/meetings/${id}`);
    return reply.status(201).send(meetingInfo(meeting));
  });

  function findMeeting(request: FastifyRequest<{ Params: { meetingId: string } }>, reply: FastifyReply): EmulatedMeeting | undefined {
    const meeting = meetings.get(request.params.meetingId);
    if (!meeting) void zoomError(reply, 404, 3001, `Meeting does not exist: ${request.params.meetingId}.`);
    return meeting;
  }

  app.get<{ Params: { meetingId: string } }>('/v2/meetings/:meetingId', async (request, reply) => {
    if (!requireToken(request, reply)) return reply;
    const meeting = findMeeting(request, reply);
    return meeting ? { ...meetingInfo(meeting), start_url: startUrlOf(meeting.id) } : reply;
  });

  app.patch<{ Params: { meetingId: string }; Body: Record<string, unknown> }>('/v2/meetings/:meetingId', async (request, reply) => {
    if (!requireToken(request, reply)) return reply;
    const meeting = findMeeting(request, reply);
    if (!meeting) return reply;
    const body = request.body ?? {};
    if (typeof body.topic === 'string') meeting.topic = body.topic.slice(0, 200);
    if (typeof body.agenda === 'string') meeting.agenda = body.agenda.slice(0, 2000);
    if (typeof body.start_time === 'string') meeting.start_time = new Date(body.start_time).toISOString().replace('.000Z', 'Z');
    if (typeof body.duration === 'number') meeting.duration = body.duration;
    if (body.settings) meeting.settings = { ...meeting.settings, ...(body.settings as Record<string, unknown>) };
    return reply.status(204).send();
  });

  app.delete<{ Params: { meetingId: string } }>('/v2/meetings/:meetingId', async (request, reply) => {
    if (!requireToken(request, reply)) return reply;
    if (!findMeeting(request, reply)) return reply;
    meetings.delete(request.params.meetingId);
    return reply.status(204).send();
  });

  app.post<{ Params: { meetingId: string }; Body: Record<string, unknown> }>('/v2/meetings/:meetingId/registrants', async (request, reply) => {
    if (!requireToken(request, reply)) return reply;
    const meeting = findMeeting(request, reply);
    if (!meeting) return reply;
    const body = request.body ?? {};
    if (typeof body.email !== 'string' || typeof body.first_name !== 'string') return zoomError(reply, 400, 300, 'Validation Failed.');
    if (meeting.settings.approval_type === 2) return zoomError(reply, 400, 3000, 'Registration has not been enabled for this meeting.');
    const id = randomBytes(11).toString('base64url');
    const join_url = `${meeting.join_url}&tk=${id}`;
    meeting.registrants.push({ id, email: body.email, first_name: body.first_name, join_url });
    return reply.status(201).send({ id: meeting.id, registrant_id: id, join_url, topic: meeting.topic, start_time: meeting.start_time });
  });

  app.get<{ Params: { meetingId: string } }>('/v2/meetings/:meetingId/recordings', async (request, reply) => {
    if (!requireToken(request, reply)) return reply;
    const meeting = meetings.get(request.params.meetingId);
    if (!meeting || meeting.recordingFiles.length === 0) return zoomError(reply, 404, 3301, 'This recording does not exist.');
    const downloadToken = issueDownloadToken();
    return {
      uuid: meeting.uuid,
      id: meeting.id,
      host_id: meeting.host_id,
      topic: meeting.topic,
      start_time: meeting.start_time,
      duration: meeting.duration,
      total_size: meeting.recordingFiles.reduce((sum, file) => sum + file.file_size, 0),
      recording_count: meeting.recordingFiles.length,
      recording_files: meeting.recordingFiles.map((file) => recordingFileOf(meeting, file)),
      download_access_token: downloadToken,
    };
  });

  app.get<{ Params: { fileId: string } }>('/rec/download/:fileId', async (request, reply) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? (request.query as { access_token?: string }).access_token;
    if (!token || !downloadTokens.has(token)) return zoomError(reply, 401, 124, 'Invalid access token.');
    const file = [...meetings.values()].flatMap((meeting) => meeting.recordingFiles).find((candidate) => candidate.id === request.params.fileId);
    if (!file) return zoomError(reply, 404, 3301, 'This recording does not exist.');
    return reply.type(file.file_type === 'TRANSCRIPT' ? 'text/vtt; charset=utf-8' : 'application/octet-stream').send(file.content);
  });

  // The emulator's own controls, for tests and demos.
  app.get('/emulator', async () => ({ emulator: 'zoom', note: 'This is a local emulator of Zoom, not Zoom.' }));

  function issueDownloadToken(): string {
    const token = `emulated-download-${randomBytes(12).toString('hex')}`;
    downloadTokens.add(token);
    return token;
  }

  function recordingFileOf(meeting: EmulatedMeeting, file: EmulatedRecordingFile) {
    const { content: _content, ...rest } = file;
    return {
      ...rest,
      meeting_id: meeting.uuid,
      recording_start: meeting.start_time,
      recording_end: new Date(Date.parse(meeting.start_time) + meeting.duration * 60_000).toISOString().replace('.000Z', 'Z'),
      download_url: `${baseUrl}/rec/download/${file.id}`,
      status: 'completed',
    };
  }

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    apiBaseUrl: `${baseUrl}/v2`,
    oauthUrl: `${baseUrl}/oauth/token`,
    credentials,
    meetings,
    received,
    ...failures,
    /** How many access tokens the token endpoint has issued. */
    issuedTokenCount: () => accessTokens.size,
    /** Every access token issued so far stops working, as when Zoom expires them (error 124). */
    expireAccessTokens() {
      for (const token of accessTokens.keys()) accessTokens.set(token, 0);
    },
    /** Adds a transcript (and an MP4) to a meeting, as Zoom does after the meeting ends. */
    addRecording(meetingId: number | string, transcriptVtt: string) {
      const meeting = meetings.get(String(meetingId));
      if (!meeting) throw new Error(`no emulated meeting ${meetingId}`);
      meeting.recordingFiles.push(
        { id: randomBytes(8).toString('hex'), file_type: 'MP4', file_extension: 'MP4', file_size: 1024, recording_type: 'shared_screen_with_speaker_view', content: 'emulated video' },
        { id: randomBytes(8).toString('hex'), file_type: 'TRANSCRIPT', file_extension: 'VTT', file_size: Buffer.byteLength(transcriptVtt), recording_type: 'audio_transcript', content: transcriptVtt },
      );
      return meeting;
    },
    /** A `recording.completed` payload for a meeting with a recording, with a fresh download token. */
    recordingCompletedEvent(meetingId: number | string) {
      const meeting = meetings.get(String(meetingId));
      if (!meeting) throw new Error(`no emulated meeting ${meetingId}`);
      return {
        event: 'recording.completed',
        event_ts: Date.now(),
        download_token: issueDownloadToken(),
        payload: {
          account_id: credentials.accountId,
          object: {
            id: meeting.id,
            uuid: meeting.uuid,
            host_id: meeting.host_id,
            topic: meeting.topic,
            type: meeting.type,
            start_time: meeting.start_time,
            duration: meeting.duration,
            recording_files: meeting.recordingFiles.map((file) => recordingFileOf(meeting, file)),
          },
        },
      };
    },
    /** Signs a webhook body as Zoom does (`x-zm-signature: v0=HMAC-SHA256(secret, v0:ts:body)`) and posts it. */
    async sendWebhook(targetUrl: string, event: unknown, options: { timestampSec?: number } = {}) {
      const body = JSON.stringify(event);
      const timestamp = String(options.timestampSec ?? Math.floor(Date.now() / 1000));
      const signature = `v0=${createHmac('sha256', credentials.webhookSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
      return fetch(targetUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': timestamp, 'x-zm-signature': signature },
        body,
      });
    },
    stop: () => app.close(),
  };
}

export type ZoomEmulator = Awaited<ReturnType<typeof startZoomEmulator>>;
