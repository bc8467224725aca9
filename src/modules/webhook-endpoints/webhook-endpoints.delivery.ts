import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { deleteInBatches } from '../../db/batches.js';
import type { Database, Transaction } from '../../db/client.js';
import { defineJob, type JobContext } from '../../jobs/job.js';
import type { JobQueue } from '../../jobs/queue.js';
import type { AuditService } from '../audit/audit.service.js';
import type { PublishedEvent } from '../events/events.service.js';
import { deleteDeliveriesBefore, endpointsFor, findDeliveryWithEndpoint, insertDeliveries, updateDelivery, updateEndpoint, type DeliveryRow, type EndpointRow } from './webhook-endpoints.repo.js';

/** An endpoint that has failed every attempt for this long is disabled. */
const DISABLE_AFTER_FAILING_MS = 24 * 3600 * 1000;
/** A receiver must answer within this. */
const DELIVERY_TIMEOUT_MS = 10_000;
/** 11 retries, the delay doubling from WEBHOOK_DELIVERY_RETRY_DELAY_SEC: from 45 s, the last one about 24 h after the first attempt. */
const RETRIES = 11;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as the README tells receivers to check it. */
function signatureOf(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Delivering events to a user's endpoints: a signed POST per delivery, each a job enqueued with
 * the event, its attempts logged; an endpoint that fails every attempt for a day is disabled.
 */
export function createWebhookDelivery(deps: {
  database: Database;
  jobs: JobQueue;
  audit: Pick<AuditService, 'record'>;
  /** The SSRF-safe fetch every outbound call uses. */
  fetch: typeof fetch;
  firstRetryDelaySec: number;
  retentionHours: number;
  /** The endpoint's signing secret, unsealed. */
  secretOf: (endpoint: EndpointRow) => string;
}) {
  const { database, jobs, audit } = deps;

  /** One attempt; throws (so the job retries) unless the receiver answered 2xx. */
  async function attempt(delivery: DeliveryRow, endpoint: EndpointRow, context: JobContext) {
    const timestamp = Math.floor(Date.now() / 1000);
    let status: number | undefined;
    let failure: string | undefined;
    try {
      const response = await deps.fetch(endpoint.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Atas-Webhooks/1.0',
          'atas-event': delivery.eventType,
          'atas-delivery': delivery.id,
          'atas-signature': signatureOf(deps.secretOf(endpoint), timestamp, delivery.body),
        },
        body: delivery.body,
      });
      status = response.status;
      await response.body?.cancel();
      if (status < 200 || status > 299) failure = `the receiver answered ${status}`;
    } catch (error) {
      // fetch says "fetch failed"; its cause says why (refused address, DNS, connection refused).
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : (error as Error);
      failure = cause.name === 'TimeoutError' ? `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s` : `could not connect: ${cause.message}`;
    }
    const now = new Date();
    await database.transaction(async ({ db }) => {
      await updateDelivery(db, delivery.id, {
        attempts: delivery.attempts + 1,
        lastAttemptAt: now,
        lastStatusCode: status ?? null,
        lastError: failure ?? null,
        ...(failure ? (context.isLastAttempt ? { status: 'failed' as const } : {}) : { status: 'delivered' as const, deliveredAt: now }),
      });
      if (!failure) return void (await updateEndpoint(db, endpoint.id, { failingSince: null }));
      const failingSince = endpoint.failingSince ?? now;
      if (now.getTime() - failingSince.getTime() < DISABLE_AFTER_FAILING_MS) return void (await updateEndpoint(db, endpoint.id, { failingSince }));
      const reason = `Every delivery failed for 24 hours (last: ${failure})`;
      await updateEndpoint(db, endpoint.id, { failingSince, disabledAt: now, disabledReason: reason });
      await audit.record({ userId: endpoint.userId, action: 'webhook_endpoint.disabled', resourceType: 'webhook_endpoint', resourceId: endpoint.id, details: { reason } }, db);
    });
    if (failure) throw new Error(failure);
  }

  const deliverJob = defineJob({
    name: 'deliver-webhook',
    payloadSchema: z.object({ deliveryId: z.uuid() }),
    retryLimit: RETRIES,
    retryDelaySec: deps.firstRetryDelaySec,
    workers: 2,
    batchSize: 5,
    handler: async ({ deliveryId }, context) => {
      const found = await findDeliveryWithEndpoint(database.db, deliveryId);
      if (!found || found.delivery.status !== 'pending') return;
      if (found.endpoint.disabledAt) return void (await updateDelivery(database.db, deliveryId, { status: 'failed', lastError: 'the endpoint is disabled' }));
      await attempt(found.delivery, found.endpoint, context);
    },
  });

  async function deleteExpired(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - deps.retentionHours * 3_600_000);
    return deleteInBatches((limit) => deleteDeliveriesBefore(database.db, cutoff, limit));
  }
  const cleanupJob = defineJob({ name: 'delete-expired-webhook-deliveries', payloadSchema: z.object({}).passthrough(), retryLimit: 0, handler: async () => void (await deleteExpired()) });

  return {
    /** Sends one delivery; for a delivery sent again, too. */
    deliverJob,
    jobs: [deliverJob, cleanupJob],
    schedules: [{ job: cleanupJob, cron: '29 * * * *' }],
    deleteExpired,

    async enqueue(tx: Transaction, event: PublishedEvent): Promise<void> {
      const endpoints = await endpointsFor(tx.db, event.userId, event.type);
      if (endpoints.length === 0) return;
      const body = JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt.toISOString(), data: event.data });
      const deliveries = await insertDeliveries(
        tx.db,
        endpoints.map((endpoint) => ({ endpointId: endpoint.id, eventId: event.id, eventType: event.type, body })),
      );
      await jobs.enqueueMany(deliverJob, deliveries.map((delivery) => ({ deliveryId: delivery.id })), { client: tx.client });
    },
  };
}
