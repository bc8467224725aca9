import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import type { OpenApiDocument } from './helpers/openapi-document.js';
import { startTestServer } from './helpers/server.js';

const committedPath = new URL('../docs/openapi.json', import.meta.url);

type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { $ref?: string; headers?: Record<string, unknown>; content?: Record<string, { schema: Record<string, unknown> }> }>;
};

describe('the OpenAPI document', () => {
  let database: TestDatabase;
  let server: Server;
  let document: OpenApiDocument & { paths: Record<string, Record<string, Operation>>; components: { responses: Record<string, Operation['responses'][string]> } };
  let operations: { key: string; operation: Operation }[];

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url, env: { ENABLE_METRICS: 'true' } });
    document = (await server.app!.inject({ method: 'GET', url: '/v1/openapi.json' })).json();
    operations = Object.entries(document.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, operation })));
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
  });

  const responseOf = (operation: Operation, status: number) => {
    const response = operation.responses[String(status)];
    return response?.$ref ? document.components.responses[response.$ref.split('/').pop()!]! : response;
  };
  const errorCodesOf = (operation: Operation, status: number): string[] => {
    const schema = responseOf(operation, status)?.content?.['application/json']?.schema as { allOf?: { properties?: { code?: { enum: string[] } } }[] } | undefined;
    return schema?.allOf?.[1]?.properties?.code?.enum ?? [];
  };
  const operation = (operationId: string) => operations.find((candidate) => candidate.operation.operationId === operationId)!.operation;

  it('is the committed docs/openapi.json: every contract change shows in review (`npm run openapi` writes it)', () => {
    const committed = JSON.parse(fs.readFileSync(committedPath, 'utf8'));
    expect(committed, 'docs/openapi.json is not the served document: run `npm run openapi`').toEqual(document);
  });

  it('names, summarises, describes, tags and secures every operation', () => {
    expect(operations.length).toBeGreaterThan(40);
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { key, operation: { operationId, summary, description, tags, security } } of operations) {
      expect({ key, operationId }).toEqual({ key, operationId: expect.stringMatching(/^[a-z][a-zA-Z]+$/) });
      expect({ key, summary, description, tags }).toEqual({ key, summary: expect.stringMatching(/\w/), description: expect.stringMatching(/\w/), tags: [expect.any(String)] });
      expect({ key, security }).toEqual({ key, security: expect.any(Array) });
    }
    expect(operation('login').security).toEqual([]);
    expect(operation('getMeeting').security).toEqual([{ bearerAuth: [] }]);
  });

  it("documents every error a route answers with its codes, the route's own and those of its kind", () => {
    for (const { key, operation } of operations) {
      expect({ key, codes: errorCodesOf(operation, 500) }).toEqual({ key, codes: ['internal_error'] });
      if (operation.security?.length) expect({ key, codes: errorCodesOf(operation, 401) }).toEqual({ key, codes: expect.arrayContaining(['token_missing', 'token_expired', 'session_revoked']) });
    }
    expect(errorCodesOf(operation('getMeeting'), 404)).toEqual(['not_found']);
    expect(errorCodesOf(operation('createMeeting'), 409)).toEqual(['conflict']);
    expect(errorCodesOf(operation('createMeeting'), 422)).toEqual(['idempotency_key_reused']);
    expect(errorCodesOf(operation('createMeeting'), 503)).toEqual(['database_unavailable', 'provider_rate_limited', 'provider_unavailable', 'service_unavailable']);
    expect(errorCodesOf(operation('createMeeting'), 400)).toEqual(expect.arrayContaining(['validation_failed', 'invalid_json']));
    expect(errorCodesOf(operation('login'), 401)).toEqual(['invalid_credentials', 'user_disabled']);
    expect(errorCodesOf(operation('generateMinutes'), 409)).toEqual(expect.arrayContaining(['transcript_missing', 'generation_in_progress']));
    expect(operation('getHealth').responses['429']).toBeUndefined(); // not rate limited
  });

  it('documents the headers, the files, the uploads and the event stream', () => {
    for (const { key, operation } of operations) {
      for (const status of Object.keys(operation.responses)) {
        expect({ key, status, headers: Object.keys(responseOf(operation, Number(status))!.headers ?? {}) }).toEqual({ key, status, headers: expect.arrayContaining(['X-Request-Id']) });
      }
    }
    expect(Object.keys(responseOf(operation('listMeetings'), 200)!.headers!)).toEqual(expect.arrayContaining(['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']));
    expect(Object.keys(responseOf(operation('listMeetings'), 429)!.headers!)).toContain('Retry-After');
    expect(Object.keys(responseOf(operation('createMeeting'), 201)!.headers!)).toContain('Idempotent-Replayed');
    expect(Object.keys(responseOf(operation('generateMinutes'), 202)!.headers!)).toEqual(expect.arrayContaining(['Location', 'Retry-After']));
    expect(Object.keys(responseOf(operation('generateMinutes'), 200)!.content!)).toEqual(['text/event-stream']);

    const pdf = responseOf(operation('getMinutesPdf'), 200)!;
    expect(pdf.content).toEqual({ 'application/pdf': { schema: { type: 'string', format: 'binary' } } });
    expect(Object.keys(pdf.headers!)).toEqual(expect.arrayContaining(['Content-Disposition', 'X-Content-SHA256']));
    expect(Object.keys(responseOf(operation('getMinutesPdf'), 409)!.headers!)).toContain('Retry-After');
    expect(Object.keys(operation('uploadTranscript').requestBody!.content).sort()).toEqual(['application/x-subrip', 'text/plain', 'text/srt', 'text/vtt']);
  });

  it('gives reference pages no regex to sample dates from: a format says it', () => {
    const text = JSON.stringify(document);
    expect(text).toContain('"format":"date-time"');
    const patternsBesideFormats = [...text.matchAll(/\{[^{}]*"format":"[^"]+"[^{}]*"pattern"|\{[^{}]*"pattern":"[^"]*"[^{}]*"format"/g)];
    expect(patternsBesideFormats).toEqual([]);
  });
});
