import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { readJson } from '../helpers/http.js';
import { startTestServer } from '../helpers/server.js';
import { bearer, postJson, registerUser, type TestUser } from '../helpers/users.js';

/** Runs per route: `npm test` keeps it short; the long reliability script raises it (FUZZ_RUNS). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
/** Routes that would end the fuzzing user's own session when they succeed. */
const SESSION_ENDING = new Set(['POST /v1/auth/logout', 'DELETE /v1/user']);

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }), // any code point, lone surrogates included
  fc.constantFrom(
    '',
    '\u0000',
    'a\u0000b',
    '\ud800',
    'é\udfff',
    'x'.repeat(100_000),
    "'; DROP TABLE users; --",
    '<script>alert(1)</script>',
    '../../etc/passwd',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59-12:00',
    '2026-02-30T25:61:00Z',
    '2030-01-10T13:00:00-03:00',
    '-1',
    '1e309',
    'NaN',
    '{"$ne":null}',
    'zoom',
    'a@b.co',
  ),
);
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(0, -1, 2 ** 53, -(2 ** 53), 1e308, 10_000_000_000),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 3 }),
  ),
})).value;

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

interface Operation {
  key: string;
  method: string;
  path: string;
  bodySchema: JsonSchema | undefined;
  bodyType: 'json' | 'text' | undefined;
  query: string[];
}

/**
 * Values the schema accepts in shape, with hostile contents where a string goes (NUL, unpaired
 * surrogates, SQL, markup, extreme dates…): the request passes validation's structure and reaches
 * the service, the database and the providers, where a 500 would hide.
 */
function schemaShaped(schema: JsonSchema, idPool: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((alternative) => schemaShaped(alternative, idPool)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type.find((candidate) => candidate !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const properties = Object.entries(schema.properties ?? {});
      return fc.record(Object.fromEntries(properties.map(([name, property]) => [name, schemaShaped(property, idPool)])), { requiredKeys: schema.required ?? [] });
    }
    case 'array':
      return fc.array(schemaShaped(schema.items ?? {}, idPool), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'string': {
      if (schema.format === 'date-time') return fc.constantFrom('2030-01-10T13:00:00-03:00', '1900-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-01-10T13:00:00Z');
      if (schema.format === 'email') return fc.constantFrom('ana@example.com', 'ANA+tag@Example.COM', "o'brien@example.org");
      if (schema.format === 'uuid') return idPool;
      if (schema.format === 'uri') return fc.constantFrom('https://example.com/v1', 'http://127.0.0.1:1/v1', 'http://169.254.169.254/latest');
      const fits = (text: string) => text.length >= (schema.minLength ?? 0) && text.length <= (schema.maxLength ?? Infinity);
      return fc.oneof(hostileString.filter(fits), fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 60, 60) }));
    }
    default:
      return hostileValue;
  }
}

/** A body for the route: shaped by its schema with hostile contents (most often), any value, or not JSON at all. */
const bodyFor = (operation: Operation, idPool: fc.Arbitrary<string>) => {
  const fields = Object.keys(operation.bodySchema?.properties ?? {});
  return fc.oneof(
    { arbitrary: schemaShaped(operation.bodySchema ?? {}, idPool), weight: 6 },
    { arbitrary: fc.record(Object.fromEntries(fields.map((name) => [name, hostileValue])), { requiredKeys: [] }), weight: 2 },
    { arbitrary: hostileValue, weight: 1 },
    { arbitrary: fc.constantFrom('{"a":', '[[[[[[[[[[', `${'['.repeat(20_000)}${']'.repeat(20_000)}`, 'null', '"\\ud800"'), weight: 1 },
  );
};

describe('fuzzing every route from its OpenAPI schema and beyond', () => {
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;
  let user: TestUser;
  let ownMeetingId: string;
  let operations: Operation[];

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url, env: { RATE_LIMIT_MAX_REQUESTS: '1000000', ZOOM_WEBHOOK_SECRET: 'fuzz-zoom', DOCUSIGN_WEBHOOK_SECRET: 'fuzz-docusign' } });
    baseUrl = (await server.listen())!;
    user = await registerUser(baseUrl);
    ownMeetingId = (await readJson(await postJson(`${baseUrl}/v1/meetings`, { topic: 'Fuzz', startTime: '2026-01-10T13:00:00Z', duration: 60, onZoom: false }, bearer(user.token)))).meeting.id;
    const document = await readJson(await fetch(`${baseUrl}/v1/openapi.json`));
    operations = Object.entries(document.paths as Record<string, Record<string, { requestBody?: { content: Record<string, { schema?: JsonSchema }> }; parameters?: { in: string; name: string }[] }>>).flatMap(
      ([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => {
          const content = operation.requestBody?.content ?? {};
          const json = content['application/json']?.schema;
          return {
            key: `${method.toUpperCase()} ${path}`,
            method: method.toUpperCase(),
            path,
            bodySchema: json,
            bodyType: json ? 'json' : path.endsWith('/transcript') && method === 'post' ? 'text' : ['post', 'patch', 'put', 'delete'].includes(method) ? 'json' : undefined,
            query: (operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name),
          } satisfies Operation;
        }),
    );
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
  });

  /** What a rejected request must not have changed: the fuzzing user's rows, and who exists. */
  const writes = async () =>
    (
      await server.database.pool.query(
        `SELECT (SELECT count(*) FROM users) AS users,
                (SELECT count(*) FROM meetings WHERE user_id = $1) AS meetings,
                (SELECT count(*) FROM participants p JOIN meetings m ON m.id = p.meeting_id WHERE m.user_id = $1) AS participants,
                (SELECT count(*) FROM transcripts t JOIN meetings m ON m.id = t.meeting_id WHERE m.user_id = $1) AS transcripts,
                (SELECT count(*) FROM meeting_minutes WHERE user_id = $1) AS minutes,
                (SELECT count(*) FROM integration_credentials WHERE user_id = $1) AS integrations,
                (SELECT count(*) FROM webhook_events) AS webhook_events,
                (SELECT md5(string_agg(topic || coalesce(agenda, '') || duration, ',' ORDER BY id)) FROM meetings WHERE user_id = $1) AS meeting_contents,
                (SELECT md5(coalesce(name, '') || email || password_hash) FROM users WHERE id = $1) AS account`,
        [user.id],
      )
    ).rows[0];

  it('never answers 5xx, always answers errors in the documented shape, and writes nothing when it refuses', async () => {
    const idPool = fc.constantFrom(ownMeetingId, randomUUID(), user.id);
    const pathValue = fc.oneof({ arbitrary: idPool, weight: 3 }, fc.constantFrom('zoom', 'docusign', 'openai'), hostileString);
    let requests = 0;
    for (const operation of operations.filter((candidate) => !SESSION_ENDING.has(candidate.key))) {
      const requestArbitrary = fc.record({
        path: fc.array(pathValue, { minLength: 4, maxLength: 4 }),
        query: fc.array(fc.tuple(fc.constantFrom(...operation.query, 'page', 'limit', 'x'), hostileString), { maxLength: 3 }),
        body: operation.bodyType === 'text' ? fc.uint8Array({ maxLength: 2000 }) : bodyFor(operation, idPool),
        authenticated: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
      });
      await fc.assert(
        fc.asyncProperty(requestArbitrary, async (request) => {
          let index = 0;
          const path = operation.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(String(request.path[index++]).toWellFormed()));
          const query = new URLSearchParams(request.query).toString();
          const body = operation.bodyType === undefined ? undefined : operation.bodyType === 'text' ? (request.body as Uint8Array) : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
          const before = await writes();
          const abort = new AbortController();
          const response = await fetch(`${baseUrl}${path}${query ? `?${query}` : ''}`, {
            signal: abort.signal,
            method: operation.method,
            headers: {
              ...(request.authenticated ? bearer(user.token) : {}),
              ...(body === undefined ? {} : { 'content-type': operation.bodyType === 'text' ? 'text/plain' : 'application/json' }),
            },
            ...(body === undefined ? {} : { body }),
          });
          requests++;
          if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
            // An event stream answers until the client leaves: its opening is what is checked.
            expect(response.status).toBe(200);
            abort.abort(); // the connection goes: a cancelled body would leave it open
            return;
          }
          const text = await response.text();
          const context = `${operation.key} ${path}?${query} ${String(body).slice(0, 300)} → ${response.status} ${text.slice(0, 300)}`;
          expect(response.status, context).toBeLessThan(500);
          if (response.status >= 400) {
            expect(JSON.parse(text), context).toMatchObject({ error: expect.any(String), code: expect.any(String), requestId: expect.any(String) });
            const after = await writes();
            if (!operation.key.startsWith('POST /v1/webhooks/')) expect(after, context).toEqual(before);
          }
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    }
    expect(requests).toBeGreaterThan(operations.length * RUNS * 0.9);
  });
});
