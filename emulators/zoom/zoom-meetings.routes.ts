import { randomBytes, randomInt } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createPager, type PageQuery } from './zoom-pages.js';
import { zoomError, zoomTime, type EmulatedMeeting, type EmulatedRegistrant, type ZoomRoutesContext } from './zoom-state.js';

/**
 * Zoom's user, meeting, registrant and past-meeting endpoints (API v2), as documented at
 * https://developers.zoom.us/docs/api/meetings/ and https://developers.zoom.us/docs/api/users/.
 */
export function registerMeetingRoutes(app: FastifyInstance, context: ZoomRoutesContext) {
  const { host, meetings, requireToken } = context;
  const pager = createPager();

  const meetingInfo = ({ registrants: _registrants, recordingFiles: _files, ended: _ended, ...meeting }: EmulatedMeeting) => ({ ...meeting, host_email: host.email });
  // Zoom mints a new zak for every start link it hands out.
  const startUrlOf = (id: number) => `${context.baseUrl()}/s/${id}?zak=${randomBytes(12).toString('hex')}`;
  const isHost = (userId: string) => userId === 'me' || userId === host.id || userId === host.email;

  function requireHost(request: FastifyRequest<{ Params: { userId: string } }>, reply: FastifyReply): boolean {
    if (isHost(request.params.userId)) return true;
    void zoomError(reply, 404, 1001, `User does not exist: ${request.params.userId}.`);
    return false;
  }

  function findMeeting(request: FastifyRequest<{ Params: { meetingId: string } }>, reply: FastifyReply): EmulatedMeeting | undefined {
    const meeting = meetings.get(request.params.meetingId);
    if (!meeting) void zoomError(reply, 404, 3001, `Meeting does not exist: ${request.params.meetingId}.`);
    return meeting;
  }

  /** One page of a list, or Zoom's 400 for a next_page_token it did not issue (or issued for another list). */
  function pageOf<T>(request: FastifyRequest, reply: FastifyReply, list: string, items: T[]) {
    const page = pager.page(list, items, request.query as PageQuery);
    if (!page) void zoomError(reply, 400, 300, 'The next page token is invalid or expired.');
    return page;
  }

  app.get<{ Params: { userId: string } }>('/v2/users/:userId', async (request, reply) => {
    if (!requireToken(request, reply) || !requireHost(request, reply)) return reply;
    return {
      ...host,
      display_name: `${host.first_name} ${host.last_name}`,
      type: 2,
      role_name: 'Owner',
      pmi: 5_550_001_234,
      use_pmi: false,
      personal_meeting_url: `${context.baseUrl()}/j/5550001234`,
      timezone: 'UTC',
      verified: 1,
      dept: '',
      created_at: '2024-01-01T00:00:00Z',
      last_login_time: zoomTime(),
      language: 'en-US',
      status: 'active',
      role_id: '0',
      account_id: context.accountId,
    };
  });

  app.post<{ Params: { userId: string }; Body: Record<string, unknown> }>('/v2/users/:userId/meetings', async (request, reply) => {
    if (!requireToken(request, reply) || !requireHost(request, reply)) return reply;
    const body = request.body ?? {};
    if (typeof body.topic !== 'string' || body.topic.length === 0) return zoomError(reply, 400, 300, 'Validation Failed.');
    const id = randomInt(10_000_000_000, 99_999_999_999);
    const password = randomBytes(4).toString('hex');
    const meeting: EmulatedMeeting = {
      id,
      uuid: randomBytes(16).toString('base64'),
      host_id: host.id,
      topic: body.topic.slice(0, 200),
      type: typeof body.type === 'number' ? body.type : 2,
      start_time: typeof body.start_time === 'string' ? zoomTime(body.start_time) : zoomTime(),
      duration: typeof body.duration === 'number' ? body.duration : 60,
      timezone: typeof body.timezone === 'string' ? body.timezone : 'UTC',
      agenda: typeof body.agenda === 'string' ? body.agenda.slice(0, 2000) : '',
      created_at: zoomTime(),
      join_url: `${context.baseUrl()}/j/${id}?pwd=${password}`,
      start_url: startUrlOf(id),
      password,
      settings: { approval_type: 2, ...(body.settings as Record<string, unknown> | undefined) },
      registrants: [],
      recordingFiles: [],
    };
    meetings.set(String(id), meeting);
    void reply.header('content-location', `${context.baseUrl()}/v2/meetings/${id}`);
    return reply.status(201).send(meetingInfo(meeting));
  });

  // `type`: scheduled (the default) lists every meeting; upcoming and previous split them at now;
  // live is empty, as the emulator never holds a meeting in progress.
  app.get<{ Params: { userId: string }; Querystring: { type?: string } }>('/v2/users/:userId/meetings', async (request, reply) => {
    if (!requireToken(request, reply) || !requireHost(request, reply)) return reply;
    const isUpcoming = (meeting: EmulatedMeeting) => Date.parse(meeting.start_time) >= Date.now();
    const filters: Record<string, (meeting: EmulatedMeeting) => boolean> = {
      scheduled: () => true,
      live: () => false,
      upcoming: isUpcoming,
      upcoming_meetings: isUpcoming,
      previous_meetings: (meeting) => !isUpcoming(meeting),
    };
    const type = request.query.type ?? 'scheduled';
    const filter = filters[type];
    if (!filter) return zoomError(reply, 400, 300, 'Invalid field: type.');
    const page = pageOf(request, reply, `meetings?type=${type}`, [...meetings.values()].filter(filter));
    return page ? { ...page.fields, meetings: page.items.map(listedMeeting) } : reply;
  });

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
    if (typeof body.start_time === 'string') meeting.start_time = zoomTime(body.start_time);
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

  registerRegistrantRoutes(app, { requireToken, findMeeting, pageOf });

  // Zoom takes a meeting ID (its latest instance) or an instance UUID, double-encoded when it
  // holds a `/`: https://developers.zoom.us/docs/api/meetings/#tag/meetings/GET/past_meetings/{meetingId}/participants
  app.get<{ Params: { meetingUUID: string } }>('/v2/past_meetings/:meetingUUID/participants', async (request, reply) => {
    if (!requireToken(request, reply)) return reply;
    const wanted = decodeOnce(request.params.meetingUUID);
    const meeting = [...meetings.values()].find((candidate) => candidate.uuid === wanted || String(candidate.id) === wanted);
    if (!meeting?.ended) return zoomError(reply, 404, 3001, `Meeting does not exist: ${wanted}.`);
    const page = pageOf(request, reply, `participants:${meeting.uuid}`, meeting.ended.participants);
    if (!page) return reply;
    const participants = page.items.map((participant) => ({
      ...participant,
      user_id: '',
      join_time: meeting.start_time,
      leave_time: meeting.ended!.end_time,
      duration: Math.round((Date.parse(meeting.ended!.end_time) - Date.parse(meeting.start_time)) / 1000),
      failover: false,
      status: 'in_meeting',
      internal_user: false,
    }));
    return { ...page.fields, participants };
  });
}

/** A meeting as Zoom lists it: no start link, password or settings. */
const listedMeeting = ({ uuid, id, host_id, topic, type, start_time, duration, timezone, agenda, created_at, join_url }: EmulatedMeeting) =>
  ({ uuid, id, host_id, topic, type, start_time, duration, timezone, agenda, created_at, join_url });

/** The second decoding of a double-encoded UUID; a UUID sent encoded once is already decoded. */
function decodeOnce(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function registerRegistrantRoutes(
  app: FastifyInstance,
  { requireToken, findMeeting, pageOf }: {
    requireToken: ZoomRoutesContext['requireToken'];
    findMeeting: (request: FastifyRequest<{ Params: { meetingId: string } }>, reply: FastifyReply) => EmulatedMeeting | undefined;
    pageOf: <T>(request: FastifyRequest, reply: FastifyReply, list: string, items: T[]) => { items: T[]; fields: object } | undefined;
  },
) {
  // approval_type 0 approves registrants at once, 1 leaves them pending, 2 (the default) takes none.
  app.post<{ Params: { meetingId: string }; Body: Record<string, unknown> }>('/v2/meetings/:meetingId/registrants', async (request, reply) => {
    if (!requireToken(request, reply)) return reply;
    const meeting = findMeeting(request, reply);
    if (!meeting) return reply;
    const body = request.body ?? {};
    if (typeof body.email !== 'string' || typeof body.first_name !== 'string') return zoomError(reply, 400, 300, 'Validation Failed.');
    if (meeting.settings.approval_type === 2) return zoomError(reply, 400, 3000, 'Registration has not been enabled for this meeting.');
    const id = randomBytes(11).toString('base64url');
    const registrant: EmulatedRegistrant = {
      id,
      email: body.email,
      first_name: body.first_name,
      last_name: typeof body.last_name === 'string' ? body.last_name : '',
      status: meeting.settings.approval_type === 0 ? 'approved' : 'pending',
      create_time: zoomTime(),
      join_url: `${meeting.join_url}&tk=${id}`,
    };
    meeting.registrants.push(registrant);
    return reply.status(201).send({ id: meeting.id, registrant_id: id, join_url: registrant.join_url, topic: meeting.topic, start_time: meeting.start_time });
  });

  app.get<{ Params: { meetingId: string }; Querystring: { status?: string } }>('/v2/meetings/:meetingId/registrants', async (request, reply) => {
    if (!requireToken(request, reply)) return reply;
    const meeting = findMeeting(request, reply);
    if (!meeting) return reply;
    const status = request.query.status ?? 'approved';
    const page = pageOf(request, reply, `registrants:${meeting.id}?status=${status}`, meeting.registrants.filter((registrant) => registrant.status === status));
    return page ? { ...page.fields, registrants: page.items } : reply;
  });
}
