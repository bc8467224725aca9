/** The bare baseline: node:http, pg and fast-json-stringify, running Atas's SQL (baseline-sql.ts). */
import http from 'node:http';
import fastJson from 'fast-json-stringify';
import { authenticate, connect, listMeetings, meetingDetails, storeZoomWebhook } from './baseline-sql.js';

const pool = connect();
const nullableString = { type: ['string', 'null'] };
const meeting = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    zoomMeetingId: nullableString,
    topic: { type: 'string' },
    agenda: nullableString,
    startTime: { type: 'string' },
    duration: { type: 'integer' },
    status: { type: 'string' },
    joinUrl: nullableString,
    startUrl: nullableString,
    recordingUrl: nullableString,
    transcriptUrl: nullableString,
    hasRecording: { type: 'boolean' },
    hasTranscript: { type: 'boolean' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;
const page = { type: 'object', properties: { total: { type: 'integer' }, page: { type: 'integer' }, limit: { type: 'integer' }, totalPages: { type: 'integer' } } } as const;
const participant = {
  type: 'object',
  properties: { id: { type: 'string' }, email: { type: 'string' }, name: { type: ['string', 'null'] }, role: { type: 'string' }, joinedAt: { type: ['string', 'null'] }, leftAt: { type: ['string', 'null'] }, duration: { type: ['integer', 'null'] } },
} as const;
const listJson = fastJson({ type: 'object', properties: { meetings: { type: 'array', items: meeting }, pagination: page } });
const detailJson = fastJson({ type: 'object', properties: { meeting, participants: { type: 'array', items: participant }, hasMinutes: { type: 'boolean' } } });

function send(response: http.ServerResponse, status: number, body: string) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
}

const server = http.createServer((request, response) => {
  void (async () => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (request.method === 'POST' && url.pathname === '/v1/webhooks/zoom') {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const stored = await storeZoomWebhook(pool, Buffer.concat(chunks), request.headers['x-zm-signature'] as string, request.headers['x-zm-request-timestamp'] as string);
      return stored ? send(response, 200, '{"success":true}') : send(response, 401, '{"code":"webhook_signature_invalid"}');
    }
    const userId = await authenticate(pool, request.headers.authorization);
    if (!userId) return send(response, 401, '{"code":"token_invalid"}');
    if (url.pathname === '/v1/meetings') {
      return send(response, 200, listJson(await listMeetings(pool, userId, Number(url.searchParams.get('page') ?? 1), Number(url.searchParams.get('limit') ?? 20))));
    }
    const id = /^\/v1\/meetings\/([0-9a-f-]{36})$/.exec(url.pathname)?.[1];
    const details = id ? await meetingDetails(pool, userId, id) : undefined;
    return details ? send(response, 200, detailJson(details)) : send(response, 404, '{"code":"not_found"}');
  })().catch(() => send(response, 500, '{"code":"internal_error"}'));
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => server.close(() => void pool.end()));
