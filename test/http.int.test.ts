import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { readJson } from './helpers/http.js';
import { startTestServer } from './helpers/server.js';

const BODY_LIMIT_BYTES = 4096;

describe('HTTP basics', () => {
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url, env: { BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES) } });
    server.app!.post('/v1/test/echo', async (request) => ({ received: request.body }));
    server.app!.get('/v1/test/crash', async () => {
      throw new Error('database password is hunter2');
    });
    baseUrl = (await server.listen())!;
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
  });

  const expectErrorBody = (body: Record<string, unknown>, code: string) => {
    expect(body).toMatchObject({ code, error: expect.any(String), requestId: expect.any(String) });
    expect(Object.keys(body).sort()).toEqual(expect.arrayContaining(['code', 'error', 'requestId']));
    expect(JSON.stringify(body)).not.toMatch(/\bat .*\.ts:\d+/); // never a stack trace
  };

  it('answers malformed JSON with 400 invalid_json', async () => {
    const response = await fetch(`${baseUrl}/v1/test/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"topic": ',
    });
    expect(response.status).toBe(400);
    expectErrorBody(await readJson(response), 'invalid_json');
  });

  it('answers an unknown route with 404 route_not_found', async () => {
    const response = await fetch(`${baseUrl}/v1/nowhere?token=secret`);
    expect(response.status).toBe(404);
    const body = await readJson(response);
    expectErrorBody(body, 'route_not_found');
    expect(body.error).toBe('Route GET /v1/nowhere not found');
  });

  it('answers a body over the limit with 413 payload_too_large', async () => {
    const response = await fetch(`${baseUrl}/v1/test/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(BODY_LIMIT_BYTES * 2) }),
    });
    expect(response.status).toBe(413);
    expectErrorBody(await readJson(response), 'payload_too_large');
  });

  it('answers a media type it cannot read with 415 unsupported_media_type', async () => {
    const response = await fetch(`${baseUrl}/v1/test/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<topic/>',
    });
    expect(response.status).toBe(415);
    expectErrorBody(await readJson(response), 'unsupported_media_type');
  });

  it('answers an unexpected failure with 500 internal_error and hides its message', async () => {
    const response = await fetch(`${baseUrl}/v1/test/crash`);
    expect(response.status).toBe(500);
    const body = await readJson(response);
    expectErrorBody(body, 'internal_error');
    expect(body.error).toBe('Internal server error');
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });

  it('puts the request id in the response header and the error body, keeping a sane one from the client', async () => {
    const named = await fetch(`${baseUrl}/v1/nowhere`, { headers: { 'x-request-id': 'trace-123' } });
    expect(named.headers.get('x-request-id')).toBe('trace-123');
    expect((await readJson(named)).requestId).toBe('trace-123');

    const odd = await fetch(`${baseUrl}/v1/nowhere`, { headers: { 'x-request-id': 'bad id\twith spaces' } });
    const generated = odd.headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect((await readJson(odd)).requestId).toBe(generated);
  });

  it('serves OpenAPI 3.1 generated from the route schemas, and a reference page', async () => {
    const response = await fetch(`${baseUrl}/v1/openapi.json`);
    expect(response.status).toBe(200);
    const document = await readJson(response);
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/health', '/v1/health/live', '/v1/health/ready']));
    // While the database is down the health answer; while the server shuts down, the error body.
    expect(document.paths['/v1/health'].get.responses['503'].content['application/json'].schema.oneOf[0]).toEqual({
      $ref: '#/components/schemas/Health',
    });
    expect(JSON.stringify(document.components.schemas.Health)).toContain('not_configured');
    // The features' routes are described too: minutes, signatures, transcripts.
    expect(document.paths['/v1/meetings/{meetingId}/minutes'].post.responses['201'].content['application/json'].schema).toBeDefined();
    expect(document.paths['/v1/meetings/{id}/transcript'].post.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Transcript' });
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(['MeetingMinutes', 'DocuSignEnvelope', 'Signer', 'Transcript']));

    const docs = await fetch(`${baseUrl}/docs/`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toContain('text/html');
  });

  it('reports the services in /v1/health and answers the probes', async () => {
    const response = await fetch(`${baseUrl}/v1/health`);
    expect(response.status).toBe(200);
    const body = await readJson(response);
    expect(body).toEqual({
      status: 'ok',
      timestamp: expect.any(String),
      services: { database: 'ok', redis: 'not_configured', zoom: 'not_configured', docusign: 'not_configured', openai: 'not_configured', email: 'not_configured' },
    });
    expect(Date.parse(body.timestamp)).not.toBeNaN();
    expect((await fetch(`${baseUrl}/v1/health/live`)).status).toBe(200);
    expect(await readJson(await fetch(`${baseUrl}/v1/health/ready`))).toEqual({ status: 'ok' });
  });
});
