import type pg from 'pg';

/** A stored event's state: applied; dismissed by an admin; an attempt failed; or waiting. */
export type WebhookEventOutcome = 'processed' | 'dismissed' | 'failed' | 'pending';

/** The business counts the metrics expose, as the database holds them now. */
export interface BusinessCounts {
  meetingsByStatus: { status: string; count: number }[];
  generationsByOutcome: { outcome: 'succeeded' | 'failed' | 'in_progress'; count: number }[];
  envelopesByStatus: { status: string; count: number }[];
  webhookEvents: { provider: string; type: string; outcome: WebhookEventOutcome; count: number }[];
  /** Per provider, the age of the oldest event received and not yet attempted (nor dismissed). */
  webhookLagSec: { provider: string; seconds: number }[];
  /** The e-mail outbox (kept EMAIL_RETENTION_DAYS once sent or failed) by kind and status. */
  emails: { kind: string; status: string; count: number }[];
}

/**
 * Reads every count in one read-only transaction (one consistent snapshot), each statement cut
 * off after `timeoutMs`. Not every count is served by an index: meetings by status scans the
 * meetings table (its status index was dropped by migration 0002), and webhook events and e-mails
 * are grouped over their whole (retention-pruned) tables; the audit count uses the action index. So the caller
 * keeps the result a while (registerDatabaseMetrics): a scrape is never a scan each time.
 */
export async function readBusinessCounts(pool: pg.Pool, timeoutMs: number): Promise<BusinessCounts> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`SET LOCAL statement_timeout = ${Math.trunc(timeoutMs)}`);
    const rowsOf = async <Row extends pg.QueryResultRow>(text: string) => (await client.query<Row>(text)).rows;
    const meetings = await rowsOf<{ status: string; count: string }>('SELECT status, count(*) AS count FROM meetings GROUP BY status');
    // Each generation's end is audited in the transaction that stores it: an exact history.
    const generations = await rowsOf<{ outcome: 'succeeded' | 'failed' | 'in_progress'; count: string }>(
      `SELECT CASE action WHEN 'minutes.generated' THEN 'succeeded' ELSE 'failed' END AS outcome, count(*) AS count
         FROM audit_logs WHERE action IN ('minutes.generated', 'minutes.generation_failed') GROUP BY action
       UNION ALL
       SELECT 'in_progress', count(*) FROM meeting_minutes WHERE status = 'generating'`,
    );
    const envelopes = await rowsOf<{ status: string; count: string }>('SELECT status, count(*) AS count FROM docusign_envelopes GROUP BY status');
    // A dismissed event keeps its error: dismissed is checked first, so it is never failed nor pending.
    const events = await rowsOf<{ provider: string; type: string; outcome: WebhookEventOutcome; count: string }>(
      `SELECT provider, event_type AS type,
              CASE WHEN processed THEN 'processed' WHEN dismissed_at IS NOT NULL THEN 'dismissed' WHEN error IS NOT NULL THEN 'failed' ELSE 'pending' END AS outcome,
              count(*) AS count
         FROM webhook_events GROUP BY 1, 2, 3`,
    );
    const lag = await rowsOf<{ provider: string; seconds: number }>(
      `SELECT provider, extract(epoch FROM now() - min(created_at))::float8 AS seconds
         FROM webhook_events WHERE NOT processed AND error IS NULL AND dismissed_at IS NULL GROUP BY provider`,
    );
    const emails = await rowsOf<{ kind: string; status: string; count: string }>('SELECT kind, status, count(*) AS count FROM outbound_emails GROUP BY 1, 2');
    await client.query('COMMIT');
    const counted = <Row extends { count: string }>(rows: Row[]) => rows.map((row) => ({ ...row, count: Number(row.count) }));
    return {
      meetingsByStatus: counted(meetings),
      generationsByOutcome: counted(generations),
      envelopesByStatus: counted(envelopes),
      webhookEvents: counted(events),
      webhookLagSec: lag.map((row) => ({ provider: row.provider, seconds: Math.max(0, row.seconds) })),
      emails: counted(emails),
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
