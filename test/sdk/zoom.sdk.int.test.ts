import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MeetingsS2SAuthClient, type MeetingEndedEvent, type RecordingTranscriptCompletedEvent } from '@zoom/rivet/meetings';
import { UsersS2SAuthClient } from '@zoom/rivet/users';
import axios from 'axios';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startZoomEmulator, type ZoomEmulator } from '../../emulators/zoom/zoom-emulator.js';
import { zoomContractProblems, zoomResponseProblems } from '../helpers/zoom-contract.js';

const credentials = { accountId: 'acct-sdk', clientId: 'client-sdk', clientSecret: 'secret-sdk', webhookSecret: 'hook-secret-sdk' };
const ZOOM_TOKEN_URL = 'https://zoom.us/oauth/token';
const transcriptVtt = 'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAna: Olá\n';

let emulator: ZoomEmulator;
let tokenRedirect: number;
let checked = 0;

beforeAll(async () => {
  emulator = await startZoomEmulator({ credentials });
  // Rivet 0.4 hard-codes its token endpoint (https://zoom.us/oauth/token), with no option for it,
  // and posts there with axios's default instance: the module imported here (axios is Rivet's
  // dependency). An interceptor on it sends exactly that URL to the emulator, so Rivet's own
  // token request is what gets tested.
  tokenRedirect = axios.interceptors.request.use((config) => (config.url === ZOOM_TOKEN_URL ? { ...config, url: emulator.oauthUrl } : config));
});
afterEach(() => {
  // Every answer the emulator gave, and every request Rivet sent, as Zoom's spec has them.
  const exchanges = emulator.received.slice(checked);
  checked = emulator.received.length;
  for (const exchange of exchanges) {
    expect(zoomResponseProblems(exchange), `${exchange.method} ${exchange.path}`).toEqual([]);
    expect(zoomContractProblems(exchange), `${exchange.method} ${exchange.path}`).toEqual([]);
  }
});
afterAll(async () => {
  axios.interceptors.request.eject(tokenRedirect);
  await emulator.stop();
});

// Rivet's web endpoints read `baseUrl` (its WebEndpointOptions), which its client options type
// leaves out: passed through a variable, it reaches them without a cast.
const clientOptions = (extra: object = {}) => ({ ...credentials, baseUrl: emulator.apiBaseUrl, disableReceiver: true as const, ...extra });
const meetingsClient = (extra?: object) => new MeetingsS2SAuthClient(clientOptions(extra)).endpoints;
const zoomError = (status: number, code: number, message: string) => ({ name: 'ApiResponseError', message: `[${status}/${code}]: "${message}"` });

/** Creates a meeting with Rivet and reads it back (Rivet's type of the create answer has no `uuid`). */
async function createMeeting(topic: string, settings: { approval_type?: 0 | 1 | 2 } = {}, startTime = '2030-01-10T13:00:00Z') {
  const { meetings } = meetingsClient();
  const created = await meetings.createMeeting({ path: { userId: 'me' }, body: { topic, type: 2, start_time: startTime, duration: 60, settings } });
  expect(created).toMatchObject({ statusCode: 201, data: { id: expect.any(Number), topic, host_email: expect.stringContaining('@') } });
  return (await meetings.getMeeting({ path: { meetingId: created.data!.id! } })).data!;
}

/** Zoom's own SDK (@zoom/rivet) against the emulator: it must not tell the difference. */
describe('Zoom emulator driven by Zoom’s SDK (Rivet)', () => {
  it('asks for its token as Zoom’s S2S OAuth expects and reads users/me', async () => {
    const tokensBefore = emulator.issuedTokenCount();
    const users = new UsersS2SAuthClient(clientOptions()).endpoints.users;
    const me = await users.getUser({ path: { userId: 'me' } });
    expect(me).toMatchObject({ statusCode: 200, data: { id: expect.any(String), email: expect.stringContaining('@'), type: 2, account_id: credentials.accountId } });
    expect(emulator.issuedTokenCount()).toBe(tokensBefore + 1);
    expect(emulator.received.at(-1)!.authorization).toMatch(/^Bearer emulated-zoom-/);
    await expect(users.getUser({ path: { userId: 'nobody@example.com' } })).rejects.toMatchObject(zoomError(404, 1001, 'User does not exist: nobody@example.com.'));
  });

  it('creates, reads, updates and deletes a meeting; a deleted meeting is 404 with code 3001', async () => {
    const { meetings } = meetingsClient();
    const created = await createMeeting('Conselho');
    expect(created).toMatchObject({ id: expect.any(Number), topic: 'Conselho', start_time: '2030-01-10T13:00:00Z', join_url: expect.stringContaining('/j/') });
    const meetingId = created.id!;
    expect(await meetings.updateMeeting({ path: { meetingId }, body: { topic: 'Conselho (novo)', duration: 90 } })).toMatchObject({ statusCode: 204 });
    expect((await meetings.getMeeting({ path: { meetingId } })).data).toMatchObject({ id: meetingId, topic: 'Conselho (novo)', duration: 90 });
    // Rivet sends `Content-Type: application/json` with no body on a DELETE; Zoom takes it.
    expect(await meetings.deleteMeeting({ path: { meetingId } })).toMatchObject({ statusCode: 204 });
    await expect(meetings.getMeeting({ path: { meetingId } })).rejects.toMatchObject(zoomError(404, 3001, `Meeting does not exist: ${meetingId}.`));
  });

  it('lists a user’s meetings in pages of page_size, with next_page_token and total_records', async () => {
    const { meetings } = meetingsClient();
    const existing = emulator.meetings.size;
    for (const topic of ['A', 'B', 'C']) await createMeeting(topic);
    const first = (await meetings.listMeetings({ path: { userId: 'me' }, query: { page_size: 2 } })).data!;
    expect(first).toMatchObject({ page_size: 2, total_records: existing + 3, next_page_token: expect.stringMatching(/.+/) });
    expect(first.meetings).toHaveLength(2);
    const pages = [first];
    while (pages.at(-1)!.next_page_token) {
      pages.push((await meetings.listMeetings({ path: { userId: 'me' }, query: { page_size: 2, next_page_token: pages.at(-1)!.next_page_token } })).data!);
    }
    const listed = pages.flatMap((page) => page.meetings!.map((meeting) => meeting.id));
    expect(new Set(listed)).toEqual(new Set([...emulator.meetings.values()].map((meeting) => meeting.id)));
    expect(pages.at(-1)!.next_page_token).toBe('');
    await expect(meetings.listMeetings({ path: { userId: 'me' }, query: { next_page_token: 'forged' } })).rejects.toMatchObject(
      zoomError(400, 300, 'The next page token is invalid or expired.'),
    );
    const past = await createMeeting('Ontem', {}, new Date(Date.now() - 86_400_000).toISOString());
    const upcoming = (await meetings.listMeetings({ path: { userId: 'me' }, query: { type: 'upcoming', page_size: 300 } })).data!;
    expect(upcoming.meetings!.map((meeting) => meeting.id)).not.toContain(past.id);
  });

  it('adds registrants and lists them by status', async () => {
    const { meetings } = meetingsClient();
    const open = await createMeeting('Assembleia', { approval_type: 0 });
    const added = await meetings.addMeetingRegistrant({ path: { meetingId: open.id! }, body: { email: 'ana@example.com', first_name: 'Ana', last_name: 'Lima' } });
    expect(added).toMatchObject({ statusCode: 201, data: { id: open.id, registrant_id: expect.any(String), join_url: expect.stringContaining('tk=') } });
    const listed = (await meetings.listMeetingRegistrants({ path: { meetingId: open.id! } })).data!;
    expect(listed).toMatchObject({ total_records: 1, registrants: [{ id: added.data!.registrant_id, email: 'ana@example.com', status: 'approved' }] });

    const moderated = await createMeeting('Assembleia moderada', { approval_type: 1 });
    await meetings.addMeetingRegistrant({ path: { meetingId: moderated.id! }, body: { email: 'bia@example.com', first_name: 'Bia', last_name: 'Reis' } });
    expect((await meetings.listMeetingRegistrants({ path: { meetingId: moderated.id! } })).data!.registrants).toEqual([]);
    const pending = (await meetings.listMeetingRegistrants({ path: { meetingId: moderated.id! }, query: { status: 'pending' } })).data!;
    expect(pending.registrants!.map((registrant) => registrant.email)).toEqual(['bia@example.com']);
  });

  it('gets a meeting’s recordings, and answers 404 with code 3301 where there are none', async () => {
    const { cloudRecording } = meetingsClient();
    const meeting = await createMeeting('Gravada');
    await expect(cloudRecording.getMeetingRecordings({ path: { meetingId: String(meeting.id) } })).rejects.toMatchObject(zoomError(404, 3301, 'This recording does not exist.'));
    emulator.addRecording(meeting.id!, transcriptVtt);
    const recordings = (await cloudRecording.getMeetingRecordings({ path: { meetingId: String(meeting.id) } })).data!;
    expect(recordings).toMatchObject({ id: meeting.id, uuid: meeting.uuid, recording_count: 2, download_access_token: expect.any(String) });
    const transcript = recordings.recording_files!.find((file) => file.file_type === 'TRANSCRIPT')!;
    const apiAuthorization = emulator.received.at(-1)!.authorization!;
    for (const authorization of [`Bearer ${recordings.download_access_token}`, apiAuthorization]) {
      const download = await fetch(transcript.download_url!, { headers: { authorization } });
      expect(await download.text()).toBe(transcriptVtt);
    }
    expect((await fetch(transcript.download_url!, { headers: { authorization: 'Bearer forged' } })).status).toBe(401);
  });

  it('lists a past meeting’s participants by double-encoded UUID or by meeting ID, once it has ended', async () => {
    const { meetings } = meetingsClient();
    const meeting = await createMeeting('Encerrada');
    // Zoom asks for a UUID to be encoded twice (it may hold `/`); Rivet puts the path in as given.
    const byUuid = encodeURIComponent(encodeURIComponent(meeting.uuid!));
    await expect(meetings.getPastMeetingParticipants({ path: { meetingId: byUuid } })).rejects.toMatchObject({ message: expect.stringMatching(/^\[404\/3001\]/) });
    emulator.endMeeting(meeting.id!, [{ name: 'Ana Lima', email: 'ana@example.com' }, { name: 'Bia Reis' }, { name: 'Caio Dias' }]);
    const first = (await meetings.getPastMeetingParticipants({ path: { meetingId: byUuid }, query: { page_size: 2 } })).data!;
    expect(first).toMatchObject({ total_records: 3, page_size: 2, participants: [{ name: 'Ana Lima', user_email: 'ana@example.com' }, { name: 'Bia Reis' }] });
    const second = (await meetings.getPastMeetingParticipants({ path: { meetingId: byUuid }, query: { page_size: 2, next_page_token: first.next_page_token! } })).data!;
    expect(second).toMatchObject({ next_page_token: '', participants: [{ name: 'Caio Dias' }] });
    const byId = (await meetings.getPastMeetingParticipants({ path: { meetingId: String(meeting.id) } })).data!;
    expect(byId.participants!.map((participant) => participant.name)).toEqual(['Ana Lima', 'Bia Reis', 'Caio Dias']);
  });

  it('answers a forged or expired token with 401 and code 124, and bad client credentials as Zoom’s OAuth does', async () => {
    const meeting = await createMeeting('Tokens');
    const forgedTokenStore = {
      getLatestToken: () => ({ accessToken: 'forged', expirationTimeIso: new Date(Date.now() + 3_600_000).toISOString(), scopes: [] }),
      storeToken: () => undefined,
    };
    await expect(meetingsClient({ tokenStore: forgedTokenStore }).meetings.getMeeting({ path: { meetingId: meeting.id! } })).rejects.toMatchObject(
      zoomError(401, 124, 'Invalid access token.'),
    );
    const { meetings } = meetingsClient();
    await meetings.getMeeting({ path: { meetingId: meeting.id! } });
    emulator.expireAccessTokens();
    await expect(meetings.getMeeting({ path: { meetingId: meeting.id! } })).rejects.toMatchObject(zoomError(401, 124, 'Access token is expired.'));
    await expect(meetingsClient({ clientSecret: 'wrong' }).meetings.getMeeting({ path: { meetingId: meeting.id! } })).rejects.toMatchObject({
      response: { status: 401, data: { error: 'invalid_client' } },
    });
  });

  it('the response check catches an answer Zoom would not give', () => {
    const exchange = { method: 'GET', path: '/v2/meetings/1', query: {}, body: undefined, authorization: undefined };
    expect(zoomResponseProblems({ ...exchange, response: { status: 200, body: { id: 1, topic: 7 } } })).not.toEqual([]);
    expect(zoomResponseProblems({ ...exchange, response: { status: 404, body: { message: 'Not Found', statusCode: 404 } } })).not.toEqual([]);
    expect(zoomResponseProblems({ ...exchange, response: { status: 201, body: { id: 1 } } })).not.toEqual([]);
    expect(zoomResponseProblems({ ...exchange, method: 'DELETE', response: { status: 204, body: { id: 1 } } })).not.toEqual([]);
    expect(zoomResponseProblems({ ...exchange, response: { status: 200, body: { id: 1, topic: 'T' } } })).toEqual([]);
  });
});

describe('Zoom emulator webhooks through Rivet’s receiver', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

  /** Rivet's HttpReceiver on a free port, verifying with `secret`; its events URL. */
  async function startReceiver(secret: string) {
    const client = new MeetingsS2SAuthClient({ ...credentials, webhooksSecretToken: secret, port: 0 });
    const server = await client.start();
    servers.push(server);
    return { client, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/zoom/events` };
  }

  it('passes Rivet’s endpoint.url_validation, and fails it against another secret', async () => {
    const rivet = await startReceiver(credentials.webhookSecret);
    expect(await emulator.validateWebhookEndpoint(rivet.url)).toEqual({ isValid: true, status: 200 });
    const stranger = await startReceiver('another-secret');
    expect(await emulator.validateWebhookEndpoint(stranger.url)).toEqual({ isValid: false, status: 400 });
  });

  it('sends meeting.ended and recording.transcript_completed that Rivet verifies and dispatches to its handlers', async () => {
    const rivet = await startReceiver(credentials.webhookSecret);
    const ended: MeetingEndedEvent[] = [];
    const transcripts: RecordingTranscriptCompletedEvent[] = [];
    rivet.client.webEventConsumer!.event('meeting.ended', (event) => void ended.push(event));
    rivet.client.webEventConsumer!.event('recording.transcript_completed', (event) => void transcripts.push(event));
    const meeting = await createMeeting('Webhooks');

    const endedEvent = emulator.endMeeting(meeting.id!, [{ name: 'Ana Lima' }]);
    const endedResponse = await emulator.sendWebhook(rivet.url, endedEvent);
    expect({ status: endedResponse.status, body: await endedResponse.json() }).toEqual({ status: 200, body: { message: 'Zoom event processed successfully.' } });
    expect(ended).toEqual([endedEvent]);
    expect(ended[0]!.payload.object).toMatchObject({ id: String(meeting.id), uuid: meeting.uuid, end_time: expect.any(String) });

    emulator.addRecording(meeting.id!, transcriptVtt);
    const transcriptEvent = emulator.transcriptCompletedEvent(meeting.id!);
    expect((await emulator.sendWebhook(rivet.url, transcriptEvent)).status).toBe(200);
    expect(transcripts).toEqual([transcriptEvent]);
    const [file] = transcripts[0]!.payload.object.recording_files;
    expect(transcripts[0]!.payload.object.recording_files.map((recording) => recording.file_type)).toEqual(['TRANSCRIPT']);
    const download = await fetch(file!.download_url, { headers: { authorization: `Bearer ${transcripts[0]!.download_token}` } });
    expect(await download.text()).toBe(transcriptVtt);

    const stranger = await startReceiver('another-secret');
    const strangerHeard: unknown[] = [];
    stranger.client.webEventConsumer!.event('meeting.ended', (event) => void strangerHeard.push(event));
    expect((await emulator.sendWebhook(stranger.url, endedEvent)).status).toBe(400);
    expect(strangerHeard).toEqual([]);
  });
});
