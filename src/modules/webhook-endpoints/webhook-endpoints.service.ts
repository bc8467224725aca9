import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Database, Transaction } from '../../db/client.js';
import { defineJob, type JobContext } from '../../jobs/job.js';
import type { JobQueue } from '../../jobs/queue.js';
import { sealedValue, type Encryptor } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { offsetOf, paginationOf, type PaginationQuery } from '../../lib/pagination.js';
import { isPrivateUrl } from '../../lib/public-url.js';
import type { RequestContext } from '../../lib/request-context.js';
import type { AuditService } from '../audit/audit.service.js';
import type { UserEventType } from '../events/events.repo.js';
import {
  deleteDeliveriesBefore,
  deleteEndpoint,
  endpointsFor,
  findDelivery,
  findDeliveryWithEndpoint,
  findOwnedEndpoint,
  insertDeliveries,
  insertEndpoint,
  listAllEndpoints,
  listDeliveries,
  listEndpoints,
  updateDelivery,
  updateEndpoint,
  type DeliveryRow,
  type EndpointRow,
} from './webhook-endpoints.repo.js';

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

function toEndpointResponse(row: EndpointRow) {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    description: row.description,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    disabledReason: row.disabledReason,
    createdAt: row.createdAt.toISOString(),
  };
}

function toDeliveryResponse(row: DeliveryRow) {
  return {
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export type WebhookEndpointsService = ReturnType<typeof createWebhookEndpointsService>;

/**
 * Outbound webhooks: a user's endpoints get their events as signed POSTs, each delivery a job
 * enqueued with the event (nothing lost on a crash), retried with backoff for about a day, its
 * attempts logged; an endpoint that fails every attempt for a day is disabled (audited). Every
 * connection goes through the SSRF-safe outbound fetch: public addresses only, in production.
 */
export function createWebhookEndpointsService(deps: {
  database: Database;
  jobs: JobQueue;
  encryptor: Encryptor;
  audit: AuditService;
  /** The SSRF-safe fetch every outbound call uses. */
  fetch: typeof fetch;
  refusePrivateUrls: boolean;
  firstRetryDelaySec: number;
  /** The delivery log keeps finished deliveries this long (EVENTS_RETENTION_HOURS, as the events). */
  retentionHours: number;
}) {
  const { database, jobs, encryptor, audit } = deps;
  const contextOf = (endpoint: Pick<EndpointRow, 'id'>) => `webhook-endpoint:${endpoint.id}`;
  const secretOf = (endpoint: Pick<EndpointRow, 'id' | 'secret'>) => encryptor.open(sealedValue.parse(endpoint.secret), contextOf(endpoint));

  async function requireEndpoint(userId: string, id: string) {
    const endpoint = await findOwnedEndpoint(database.db, userId, id);
    if (!endpoint) throw new AppError('not_found', 'Webhook endpoint not found');
    return endpoint;
  }

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
          'atas-signature': signatureOf(secretOf(endpoint), timestamp, delivery.body),
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

  async function deleteExpired(now = new Date()) {
    return deleteDeliveriesBefore(database.db, new Date(now.getTime() - deps.retentionHours * 3_600_000));
  }
  const cleanupJob = defineJob({ name: 'delete-expired-webhook-deliveries', payloadSchema: z.object({}).passthrough(), retryLimit: 0, handler: async () => void (await deleteExpired()) });

  return {
    jobs: [deliverJob, cleanupJob],
    schedules: [{ job: cleanupJob, cron: '29 * * * *' }],
    deleteExpired,

    /** Inside the transaction of an event: a delivery (and its job) per endpoint that takes it. */
    async enqueue(tx: Transaction, event: { userId: string; id: string; type: UserEventType; data: unknown; createdAt: Date }) {
      const endpoints = await endpointsFor(tx.db, event.userId, event.type);
      if (endpoints.length === 0) return;
      const body = JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt.toISOString(), data: event.data });
      const deliveries = await insertDeliveries(
        tx.db,
        endpoints.map((endpoint) => ({ endpointId: endpoint.id, eventId: event.id, eventType: event.type, body })),
      );
      await jobs.enqueueMany(deliverJob, deliveries.map((delivery) => ({ deliveryId: delivery.id })), { client: tx.client });
    },

    /** @returns the endpoint and its signing secret, which is never shown again. */
    async create(userId: string, input: { url: string; events: UserEventType[]; description?: string }, context: RequestContext) {
      if (deps.refusePrivateUrls && (new URL(input.url).protocol !== 'https:' || isPrivateUrl(input.url))) {
        throw new AppError('validation_failed', 'The webhook URL must be https at a public address', [{ location: 'body', path: '/url', message: 'must be https at a public address' }]);
      }
      const secret = `whsec_${randomBytes(32).toString('base64url')}`;
      return database.transaction(async ({ db }) => {
        const id = randomUUID();
        const row = await insertEndpoint(db, {
          id,
          userId,
          url: input.url,
          events: [...new Set(input.events)],
          description: input.description ?? null,
          secret: encryptor.seal(secret, contextOf({ id })),
        });
        await audit.record({ userId, action: 'webhook_endpoint.created', resourceType: 'webhook_endpoint', resourceId: row.id, details: { url: row.url, events: row.events }, context }, db);
        return { endpoint: toEndpointResponse(row), secret };
      });
    },

    /** `npm run keys:rotate`: re-seals every signing secret under the current ENCRYPTION_KEY. */
    async rotateKeys(): Promise<{ rotated: number; total: number }> {
      const rows = await listAllEndpoints(database.db);
      let rotated = 0;
      for (const row of rows) {
        if (sealedValue.parse(row.secret).keyId === encryptor.currentKeyId) continue;
        await updateEndpoint(database.db, row.id, { secret: encryptor.seal(secretOf(row), contextOf(row)) });
        rotated++;
      }
      return { rotated, total: rows.length };
    },

    list: async (userId: string) => ({ endpoints: (await listEndpoints(database.db, userId)).map(toEndpointResponse) }),

    async remove(userId: string, id: string, context: RequestContext) {
      await database.transaction(async ({ db }) => {
        if (!(await deleteEndpoint(db, userId, id))) throw new AppError('not_found', 'Webhook endpoint not found');
        await audit.record({ userId, action: 'webhook_endpoint.deleted', resourceType: 'webhook_endpoint', resourceId: id, context }, db);
      });
    },

    async deliveries(userId: string, endpointId: string, query: PaginationQuery) {
      const endpoint = await requireEndpoint(userId, endpointId);
      const { rows, total } = await listDeliveries(database.db, endpoint.id, { offset: offsetOf(query), limit: query.limit });
      return { deliveries: rows.map(toDeliveryResponse), pagination: paginationOf(query, total) };
    },

    /** Sends a delivery again (as a new job with its own retries), whatever became of it. */
    async redeliver(userId: string, endpointId: string, deliveryId: string) {
      const endpoint = await requireEndpoint(userId, endpointId);
      if (endpoint.disabledAt) throw new AppError('conflict', 'This endpoint is disabled: create a new one');
      const delivery = await findDelivery(database.db, endpoint.id, deliveryId);
      if (!delivery) throw new AppError('not_found', 'Delivery not found');
      await database.transaction(async ({ db, client }) => {
        await updateDelivery(db, delivery.id, { status: 'pending', deliveredAt: null });
        await jobs.enqueue(deliverJob, { deliveryId: delivery.id }, { client });
      });
      return { delivery: toDeliveryResponse({ ...delivery, status: 'pending', deliveredAt: null }) };
    },
  };
}
