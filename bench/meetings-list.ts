/**
 * `GET /v1/meetings?page=1&limit=20`'s SQL as the table grows: the user owns USER_MEETINGS
 * meetings, all older than every other user's (the distribution where a scan by start time must
 * walk past everyone else's rows), in a table of 10,000 rows and then of TOTAL_MEETINGS rows.
 * Runs the repository's own query (rows and count), with and without the (user_id, start_time,
 * id) index, in the same run. Target: p50 at TOTAL_MEETINGS within 1.5× of 10,000 rows.
 * Run: npm run bench (BENCH_TOTAL_MEETINGS, BENCH_USER_MEETINGS, BENCH_QUERIES for other sizes)
 */
import { connectDatabase } from '../src/db/client.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { createLogger } from '../src/lib/logger.js';
import { listMeetings } from '../src/modules/meetings/meetings.repo.js';
import { openBenchDatabase } from './bench-database.js';

const TOTAL_MEETINGS = Number(process.env.BENCH_TOTAL_MEETINGS ?? 1_000_000);
const USER_MEETINGS = Number(process.env.BENCH_USER_MEETINGS ?? 10_000);
const SMALL_TABLE = Math.max(USER_MEETINGS, Math.min(10_000, TOTAL_MEETINGS));
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);

const log = createLogger({ level: 'silent', format: 'json' });
const bench = await openBenchDatabase('list');
await migrateDatabase(bench.url);
const database = connectDatabase({ url: bench.url, poolMin: 1, poolMax: 2, log });
bench.onClose(() => database.close());

try {
  const { rows } = await database.pool.query<{ id: string }>(
    `INSERT INTO users (email, password_hash) SELECT 'bench-' || n || '@example.com', 'x' FROM generate_series(0, 100) n RETURNING id`,
  );
  const [owner, ...others] = rows.map((row) => row.id);
  // The owner's meetings are the oldest; the rest, spread over 100 other users, are newer.
  await seed(owner!, USER_MEETINGS, 0);
  await seedOthers(others, SMALL_TABLE - USER_MEETINGS, USER_MEETINGS);
  const small = await measureBoth(owner!);
  await seedOthers(others, TOTAL_MEETINGS - SMALL_TABLE, SMALL_TABLE);
  const large = await measureBoth(owner!);

  const table = [
    ['table', 'index', 'p50 ms', 'p99 ms', 'vs 10k rows, same index'],
    [`${SMALL_TABLE.toLocaleString('en')} rows`, '(user_id, start_time, id)', fixed(small.indexed.p50), fixed(small.indexed.p99), '1.00×'],
    [`${TOTAL_MEETINGS.toLocaleString('en')} rows`, '(user_id, start_time, id)', fixed(large.indexed.p50), fixed(large.indexed.p99), `${(large.indexed.p50 / small.indexed.p50).toFixed(2)}×`],
    [`${SMALL_TABLE.toLocaleString('en')} rows`, 'before: user_id, start_time, status apart', fixed(small.before.p50), fixed(small.before.p99), '1.00×'],
    [`${TOTAL_MEETINGS.toLocaleString('en')} rows`, 'before: user_id, start_time, status apart', fixed(large.before.p50), fixed(large.before.p99), `${(large.before.p50 / small.before.p50).toFixed(2)}×`],
  ];
  process.stdout.write(
    `\nMeetings list, page 1 of a user owning ${USER_MEETINGS.toLocaleString('en')} meetings, all older than the others (${QUERIES} queries)\n` +
      `${table.map((row) => `| ${row.join(' | ')} |`).join('\n')}\nTarget: p50 at ${TOTAL_MEETINGS.toLocaleString('en')} rows within 1.5× of 10,000 rows.\n`,
  );
} finally {
  await bench.close();
}

/** `count` meetings of `userId`, starting `offset` hours after 2020-01-01, an hour apart. */
async function seed(userId: string, count: number, offset: number) {
  if (count <= 0) return;
  await database.pool.query(
    `INSERT INTO meetings (user_id, topic, start_time, duration, status)
     SELECT $1, 'Reunião ' || n, timestamptz '2020-01-01' + make_interval(hours => n), 60, 'completed'
       FROM generate_series($2::int, $3::int) n`,
    [userId, offset, offset + count - 1],
  );
}

async function seedOthers(userIds: string[], count: number, offset: number) {
  if (count <= 0) return;
  await database.pool.query(
    `INSERT INTO meetings (user_id, topic, start_time, duration, status)
     SELECT ($1::uuid[])[1 + n % array_length($1::uuid[], 1)], 'Reunião ' || n, timestamptz '2020-01-01' + make_interval(hours => n), 60, 'scheduled'
       FROM generate_series($2::int, $3::int) n`,
    [userIds, offset, offset + count - 1],
  );
  await database.pool.query('VACUUM ANALYZE meetings');
}

/** The list's query with today's index, then with the three single-column indexes it replaced. */
async function measureBoth(userId: string) {
  const indexed = await measure(userId);
  await database.pool.query('DROP INDEX idx_meetings_user_start_time');
  await database.pool.query('CREATE INDEX idx_meetings_user_id ON meetings (user_id)');
  await database.pool.query('CREATE INDEX idx_meetings_start_time ON meetings (start_time)');
  await database.pool.query('CREATE INDEX idx_meetings_status ON meetings (status)');
  await database.pool.query('VACUUM ANALYZE meetings');
  const before = await measure(userId);
  await database.pool.query('DROP INDEX idx_meetings_user_id, idx_meetings_start_time, idx_meetings_status');
  await database.pool.query('CREATE INDEX idx_meetings_user_start_time ON meetings (user_id, start_time DESC, id DESC)');
  await database.pool.query('VACUUM ANALYZE meetings');
  return { indexed, before };
}

async function measure(userId: string) {
  const query = { page: 1, limit: 20 };
  for (let warm = 0; warm < 20; warm++) await listMeetings(database.db, userId, query);
  const times: number[] = [];
  for (let round = 0; round < QUERIES; round++) {
    const started = performance.now();
    const { rows, total } = await listMeetings(database.db, userId, query);
    times.push(performance.now() - started);
    if (rows.length !== Math.min(20, USER_MEETINGS) || total !== USER_MEETINGS) throw new Error(`wrong page: ${rows.length} rows of ${total}`);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length / 2)]!, p99: times[Math.floor(times.length * 0.99)]! };
}

function fixed(ms: number) {
  return ms.toFixed(2);
}
