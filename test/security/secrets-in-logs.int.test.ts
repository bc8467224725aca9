import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../../src/db/client.js';
import { meetings, users } from '../../src/db/schema.js';
import { loggerOptions } from '../../src/lib/logger.js';
import { createServer, type Server } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { testConfig } from '../helpers/server.js';
import { bearer, login, postJson, registerUser } from '../helpers/users.js';

/** A logger as the service builds it (level info, JSON), writing into `lines`. */
function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { log: pino(loggerOptions({ level: 'info', format: 'json' }), destination), text: () => lines.join('') };
}

describe('secrets never reach the logs', () => {
  let testDatabase: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    database = connectDatabase({ url: testDatabase.url, poolMin: 0, poolMax: 2, log: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await database.close();
    await testDatabase.drop();
  });

  it('logs a failed statement by its SQL and SQLSTATE, never the values it ran with nor the row PostgreSQL quotes', async () => {
    const { log, text } = capturingLogger();
    const secretHash = '$argon2id$v=19$m=19456,t=2,p=1$SECRET-HASH-SALT$SECRET-HASH-VALUE';
    const agenda = 'SECRET-AGENDA, as a transcript or minutes would be';
    const [owner] = await database.db.insert(users).values({ email: 'owner-secret@example.com', passwordHash: secretHash }).returning();
    const failures = await Promise.all([
      // 23505: detail quotes the key; params hold the hash.
      database.db.insert(users).values({ email: 'owner-secret@example.com', passwordHash: secretHash }).catch((error: unknown) => error),
      // 22001: a value too long, the other values in params.
      database.db.insert(users).values({ email: `${'x'.repeat(300)}@example.com`, passwordHash: secretHash }).catch((error: unknown) => error),
      // 22P02: the message itself quotes the value.
      database.db.select().from(users).where(eq(users.id, 'SECRET-NOT-A-UUID')).catch((error: unknown) => error),
      // A meeting's content among the params.
      database.db.insert(meetings).values({ userId: owner!.id, topic: 't'.repeat(600), startTime: new Date(), duration: 60, agenda }).catch((error: unknown) => error),
    ]);
    for (const error of failures) log.error({ err: error }, 'statement failed');

    const logged = text();
    for (const code of ['23505', '22001', '22P02']) expect(logged).toContain(`"code":"${code}"`);
    expect(logged).toContain('Failed query: insert into \\"users\\"');
    for (const secret of ['SECRET-HASH', 'SECRET-AGENDA', 'SECRET-NOT-A-UUID', 'owner-secret@example.com']) expect(logged).not.toContain(secret);
  });

  it('keeps passwords, tokens and signatures out of a running server\'s logs', async () => {
    const { log, text } = capturingLogger();
    const config = testConfig({ DATABASE_URL: testDatabase.url, LOG_LEVEL: 'info', ZOOM_WEBHOOK_SECRET: 'zoom-secret-SECRET-HMAC' });
    const server: Server = await createServer(config, { role: 'all', log, jobs: [] });
    const baseUrl = (await server.listen())!;
    try {
      const user = await registerUser(baseUrl, { password: 'SECRET-PASSWORD-123' });
      await login(baseUrl, { email: user.email, password: 'SECRET-PASSWORD-wrong' });
      await fetch(`${baseUrl}/v1/user/profile`, { headers: { ...bearer(user.token), cookie: 'session=SECRET-COOKIE' } });
      await postJson(`${baseUrl}/v1/auth/refresh`, { refreshToken: `${user.refreshToken}SECRET-REFRESH` });
      await postJson(`${baseUrl}/v1/webhooks/zoom`, { event: 'meeting.started' }, { 'x-zm-signature': 'v0=SECRET-SIGNATURE', 'x-zm-request-timestamp': '1' });
      const logged = text();
      expect(logged).toContain('"requestId"');
      for (const secret of ['SECRET-PASSWORD', 'SECRET-COOKIE', 'SECRET-REFRESH', 'SECRET-SIGNATURE', 'SECRET-HMAC', user.token, user.refreshToken]) {
        expect(logged).not.toContain(secret);
      }
    } finally {
      await server.stop();
    }
  });
});
