import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { acceptEmptyJsonBodies } from '../../src/lib/json-bodies.js';
import { installFailureSwitches } from '../shared/failures.js';
import { registerMeetingRoutes } from './zoom-meetings.routes.js';
import { registerRecordingRoutes } from './zoom-recordings.routes.js';
import { zoomError, zoomTime, type EmulatedMeeting, type EmulatedUser, type ZoomRoutesContext } from './zoom-state.js';
import { createZoomWebhooks } from './zoom-webhooks.js';

export type { EmulatedMeeting, EmulatedRecordingFile } from './zoom-state.js';

/**
 * A local Zoom: Server-to-Server OAuth token endpoint and the user, meeting, registrant,
 * past-meeting and recording endpoints of Zoom's API v2 (paths, status codes, bodies and error
 * codes as Zoom documents), state in memory. It can sign and send webhooks, and fail on demand.
 * Not Zoom: say so.
 */

export interface ZoomEmulatorCredentials {
  accountId: string;
  clientId: string;
  clientSecret: string;
  webhookSecret: string;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
  /** What the emulator answered: the status, and the body parsed when it is JSON. */
  response?: { status: number; body: unknown };
}

const TOKEN_TTL_SEC = 3600;
const HOST: EmulatedUser = { id: 'emulatedHostId00001', email: 'host@emulated-zoom.example', first_name: 'Emulated', last_name: 'Host' };

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
  recordApiExchanges(app, received);

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
    if (expiresAt === undefined) {
      void zoomError(reply, 401, 124, 'Invalid access token.');
      return false;
    }
    if (expiresAt <= Date.now()) {
      void zoomError(reply, 401, 124, 'Access token is expired.');
      return false;
    }
    return true;
  }

  function issueDownloadToken(): string {
    const token = `emulated-download-${randomBytes(12).toString('hex')}`;
    downloadTokens.add(token);
    return token;
  }

  const context: ZoomRoutesContext = { accountId: credentials.accountId, host: HOST, meetings, baseUrl: () => baseUrl, requireToken, issueDownloadToken };
  registerMeetingRoutes(app, context);
  // A file downloads with a webhook's download token or a live API access token, as on Zoom.
  const canDownload = (token: string) => downloadTokens.has(token) || (accessTokens.get(token) ?? 0) > Date.now();
  registerRecordingRoutes(app, { ...context, canDownload });
  const webhooks = createZoomWebhooks(context, credentials.webhookSecret);

  function meetingOf(meetingId: number | string): EmulatedMeeting {
    const meeting = meetings.get(String(meetingId));
    if (!meeting) throw new Error(`no emulated meeting ${meetingId}`);
    return meeting;
  }

  function addRecording(meetingId: number | string, transcriptVtt: string) {
    const meeting = meetingOf(meetingId);
    meeting.recordingFiles.push(
      { id: randomBytes(8).toString('hex'), file_type: 'MP4', file_extension: 'MP4', file_size: 1024, recording_type: 'shared_screen_with_speaker_view', content: 'emulated video' },
      { id: randomBytes(8).toString('hex'), file_type: 'TRANSCRIPT', file_extension: 'VTT', file_size: Buffer.byteLength(transcriptVtt), recording_type: 'audio_transcript', content: transcriptVtt },
    );
    return meeting;
  }

  function endMeeting(meetingId: number | string, participants: { name: string; email?: string }[]) {
    const meeting = meetingOf(meetingId);
    const endTime = zoomTime();
    meeting.ended = {
      end_time: endTime,
      participants: participants.map(({ name, email }) => ({ id: randomBytes(16).toString('base64url'), name, user_email: email ?? '' })),
    };
    return webhooks.meetingEnded(meeting, endTime);
  }

  // The emulator's own controls, for tests and demos.
  app.get('/emulator', async () => ({ emulator: 'zoom', note: 'This is a local emulator of Zoom, not Zoom.' }));

  // For a person trying the app (npm start, npm run demo): what the host and Zoom's cloud do, over
  // HTTP. `webhookUrl` stands for the app's event subscription (Atas: <its URL>/v1/webhooks/zoom):
  // the webhook Zoom sends is signed and posted there, and the answer says what it got.
  const webhookUrl = z.url({ protocol: /^https?$/ }).optional();
  const endControl = z.object({ webhookUrl, participants: z.array(z.object({ name: z.string().min(1), email: z.string().optional() })).max(1000).default([]) });
  const transcriptControl = z.object({ webhookUrl, transcript: z.string().startsWith('WEBVTT') });
  async function deliverControlEvent(reply: FastifyReply, url: string | undefined, event: { event: string }) {
    if (!url) return { event: event.event };
    try {
      const response = await webhooks.send(url, event);
      return { event: event.event, webhook: { url, status: response.status } };
    } catch (error) {
      return reply.status(502).send({ code: 502, message: `Could not post ${event.event} to ${url}: ${(error as Error).message}` });
    }
  }
  /** The host ends the meeting with these participants: its past-meeting records exist from then on; `meeting.ended` follows. */
  app.post<{ Params: { meetingId: string } }>('/emulator/meetings/:meetingId/end', async (request, reply) => {
    const parsed = endControl.safeParse(request.body ?? {});
    if (!parsed.success) return zoomError(reply, 400, 300, `Validation Failed: ${z.prettifyError(parsed.error)}`);
    if (!meetings.has(request.params.meetingId)) return zoomError(reply, 404, 3001, `Meeting does not exist: ${request.params.meetingId}.`);
    return deliverControlEvent(reply, parsed.data.webhookUrl, endMeeting(request.params.meetingId, parsed.data.participants));
  });
  /** Zoom's cloud finishes the audio transcript of an ended meeting (WebVTT, `Name: text` cues); `recording.transcript_completed` follows. */
  app.post<{ Params: { meetingId: string } }>('/emulator/meetings/:meetingId/transcript', { bodyLimit: 25 * 1024 * 1024 }, async (request, reply) => {
    const parsed = transcriptControl.safeParse(request.body ?? {});
    if (!parsed.success) return zoomError(reply, 400, 300, `Validation Failed: ${z.prettifyError(parsed.error)}`);
    const meeting = meetings.get(request.params.meetingId);
    if (!meeting) return zoomError(reply, 404, 3001, `Meeting does not exist: ${request.params.meetingId}.`);
    if (!meeting.ended) return zoomError(reply, 400, 3000, 'The meeting has not ended: end it first.');
    addRecording(meeting.id, parsed.data.transcript);
    return deliverControlEvent(reply, parsed.data.webhookUrl, webhooks.transcriptCompleted(meeting));
  });

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
    addRecording,
    /**
     * Ends a meeting with these participants, as when its host ends it: its past-meeting records
     * exist from then on. Returns the `meeting.ended` webhook Zoom sends.
     */
    endMeeting,
    /** A `recording.completed` payload for a meeting with a recording, with a fresh download token. */
    recordingCompletedEvent: (meetingId: number | string) => webhooks.recordingCompleted(meetingOf(meetingId)),
    /** A `recording.transcript_completed` payload (transcript files only), with a fresh download token. */
    transcriptCompletedEvent: (meetingId: number | string) => webhooks.transcriptCompleted(meetingOf(meetingId)),
    sendWebhook: webhooks.send,
    validateWebhookEndpoint: webhooks.validateEndpoint,
    stop: () => app.close(),
  };
}

/** Logs every API request with the answer it got, for contract checks in tests. */
function recordApiExchanges(app: FastifyInstance, received: ReceivedRequest[]) {
  const exchanges = new WeakMap<FastifyRequest, ReceivedRequest>();
  app.addHook('preHandler', async (request) => {
    if (!request.url.startsWith('/v2/')) return;
    const [path, search = ''] = request.url.split('?');
    const exchange: ReceivedRequest = {
      method: request.method,
      path: path!,
      query: Object.fromEntries(new URLSearchParams(search)),
      body: request.body,
      authorization: request.headers.authorization,
    };
    received.push(exchange);
    exchanges.set(request, exchange);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const exchange = exchanges.get(request);
    if (exchange) {
      const isJson = String(reply.getHeader('content-type') ?? '').startsWith('application/json');
      exchange.response = { status: reply.statusCode, body: isJson && typeof payload === 'string' && payload !== '' ? JSON.parse(payload) : payload ?? undefined };
    }
    return payload;
  });
}

export type ZoomEmulator = Awaited<ReturnType<typeof startZoomEmulator>>;
