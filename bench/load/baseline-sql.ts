/**
 * The SQL Atas runs for the benchmarked requests, for the baseline servers: the same statements,
 * named prepared statements as Atas's hot queries are (session check, page and count, meeting with
 * participants and minutes flag; the webhook row), so the difference measured is the framework and
 * the code around them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { jwtVerify } from 'jose';
import pg from 'pg';

export function connect() {
  return new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
}

const jwtKey = () => new TextEncoder().encode(process.env.JWT_SECRET);

/** The bearer's user id when the token and its session hold, as Atas's guard checks them. */
export async function authenticate(pool: pg.Pool, authorization: string | undefined): Promise<string | undefined> {
  const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  if (!token) return undefined;
  const { payload } = await jwtVerify(token, jwtKey(), { algorithms: ['HS256'] }).catch(() => ({ payload: undefined }));
  if (!payload?.sub || typeof payload.sid !== 'string') return undefined;
  const { rows } = await pool.query<{ revoked_at: Date | null; expires_at: Date; disabled_at: Date | null }>({
    name: 'session_identity',
    text: `SELECT u.email, u.role, u.disabled_at, s.revoked_at, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND u.id = $2`,
    values: [payload.sid, payload.sub],
  });
  const session = rows[0];
  if (!session || session.revoked_at || session.expires_at.getTime() <= Date.now() || session.disabled_at) return undefined;
  return payload.sub;
}

const meetingOf = (row: Record<string, unknown>) => ({
  id: row.id,
  zoomMeetingId: row.zoom_meeting_id,
  topic: row.topic,
  agenda: row.agenda,
  startTime: (row.start_time as Date).toISOString(),
  duration: row.duration,
  status: row.status,
  joinUrl: row.join_url,
  startUrl: row.start_url,
  recordingUrl: row.recording_url,
  transcriptUrl: row.transcript_url,
  hasRecording: row.has_recording,
  hasTranscript: row.has_transcript,
  createdAt: (row.created_at as Date).toISOString(),
  updatedAt: (row.updated_at as Date).toISOString(),
});

export async function listMeetings(pool: pg.Pool, userId: string, page: number, limit: number) {
  const [rows, count] = await Promise.all([
    pool.query({ name: 'meetings_page', text: `SELECT * FROM meetings WHERE user_id = $1 ORDER BY start_time DESC, id DESC LIMIT $2 OFFSET $3`, values: [userId, limit, (page - 1) * limit] }),
    pool.query<{ count: string }>({ name: 'meetings_count', text: `SELECT count(*) FROM meetings WHERE user_id = $1`, values: [userId] }),
  ]);
  const total = Number(count.rows[0]!.count);
  return { meetings: rows.rows.map(meetingOf), pagination: { total, page, limit, totalPages: Math.ceil(total / limit) } };
}

export async function meetingDetails(pool: pg.Pool, userId: string, id: string) {
  const { rows } = await pool.query({ name: 'owned_meeting', text: `SELECT * FROM meetings WHERE id = $1 AND user_id = $2`, values: [id, userId] });
  if (!rows[0]) return undefined;
  const [participants, minutes] = await Promise.all([
    pool.query({ name: 'meeting_participants', text: `SELECT * FROM participants WHERE meeting_id = $1 ORDER BY created_at, email`, values: [id] }),
    pool.query({ name: 'meeting_has_minutes', text: `SELECT true FROM meeting_minutes WHERE meeting_id = $1 LIMIT 1`, values: [id] }),
  ]);
  return {
    meeting: meetingOf(rows[0] as Record<string, unknown>),
    participants: participants.rows.map((row: Record<string, unknown>) => ({
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      joinedAt: (row.joined_at as Date | null)?.toISOString() ?? null,
      leftAt: (row.left_at as Date | null)?.toISOString() ?? null,
      duration: row.duration,
    })),
    hasMinutes: minutes.rows.length > 0,
  };
}

/** Verifies Zoom's v0 signature and stores the event row: what a webhook must do before answering. */
export async function storeZoomWebhook(pool: pg.Pool, rawBody: Buffer, signature: string | undefined, timestamp: string | undefined): Promise<boolean> {
  const expected = Buffer.from(`v0=${createHmac('sha256', process.env.ZOOM_WEBHOOK_SECRET!).update(`v0:${timestamp}:${rawBody.toString('utf8')}`).digest('hex')}`);
  const given = Buffer.from(signature ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  const event = JSON.parse(rawBody.toString('utf8')) as { event: string };
  const deliveryKey = createHmac('sha256', 'key').update(rawBody).digest('hex');
  await pool.query({
    name: 'store_webhook',
    text: `INSERT INTO webhook_events (provider, event_type, delivery_key, payload) VALUES ('zoom', $1, $2, $3) ON CONFLICT DO NOTHING`,
    values: [event.event, deliveryKey, rawBody.toString('utf8')],
  });
  return true;
}
