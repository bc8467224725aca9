import { randomBytes, randomUUID } from 'node:crypto';
import type { Database, Transaction } from '../../db/client.js';
import type { AnyJobDefinition } from '../../jobs/job.js';
import type { JobQueue } from '../../jobs/queue.js';
import { sealedValue, type Encryptor } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { offsetOf, paginationOf, type PaginationQuery } from '../../lib/pagination.js';
import { isPrivateUrl } from '../../lib/public-url.js';
import type { RequestContext } from '../../lib/request-context.js';
import type { AuditService } from '../audit/audit.service.js';
import type { UserEventType } from '../events/events.repo.js';
import type { PublishedEvent } from '../events/events.service.js';
import { createWebhookDelivery } from './webhook-endpoints.delivery.js';
import {
  deleteEndpoint,
  findDelivery,
  findOwnedEndpoint,
  insertEndpoint,
  listAllEndpoints,
  listDeliveries,
  listEndpoints,
  updateDelivery,
  updateEndpoint,
  type DeliveryRow,
  type EndpointRow,
} from './webhook-endpoints.repo.js';

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

type EndpointResponse = ReturnType<typeof toEndpointResponse>;
type DeliveryResponse = ReturnType<typeof toDeliveryResponse>;

/**
 * Outbound webhooks: a user's endpoints get their events as signed POSTs, each delivery a job
 * enqueued with the event (nothing lost on a crash), retried with backoff for about a day, its
 * attempts logged; an endpoint that fails every attempt for a day is disabled (audited). Every
 * connection goes through the SSRF-safe outbound fetch: public addresses only, in production.
 */
export interface WebhookEndpointsService {
  /** Delivering a webhook, and cleaning the delivery log: for the worker to run. */
  jobs: AnyJobDefinition[];
  /** The cleanup, hourly. */
  schedules: { job: AnyJobDefinition; cron: string }[];
  /** Deletes the finished deliveries older than EVENTS_RETENTION_HOURS at `now`; returns how many. */
  deleteExpired(now?: Date): Promise<number>;
  /** Inside the transaction of an event: a delivery (and its job) per endpoint that takes it. */
  enqueue(tx: Transaction, event: PublishedEvent): Promise<void>;
  /**
   * @returns the endpoint and its signing secret, which is never shown again.
   * @throws AppError validation_failed (400) in production for a URL that is not https at a public address.
   */
  create(userId: string, input: { url: string; events: UserEventType[]; description?: string }, context: RequestContext): Promise<{ endpoint: EndpointResponse; secret: string }>;
  /** `npm run keys:rotate`: re-seals every signing secret under the current ENCRYPTION_KEY. */
  rotateKeys(): Promise<{ rotated: number; total: number }>;
  /** The user's endpoints, without their secrets. */
  list(userId: string): Promise<{ endpoints: EndpointResponse[] }>;
  /**
   * Deletes the endpoint and its delivery log.
   * @throws AppError not_found (404) unless it is the user's.
   */
  remove(userId: string, id: string, context: RequestContext): Promise<void>;
  /**
   * One page of the endpoint's delivery log.
   * @throws AppError not_found (404) unless the endpoint is the user's.
   */
  deliveries(userId: string, endpointId: string, query: PaginationQuery): Promise<{ deliveries: DeliveryResponse[]; pagination: ReturnType<typeof paginationOf> }>;
  /**
   * Sends a delivery again (as a new job with its own retries), whatever became of it.
   * @throws AppError conflict (409) when the endpoint is disabled; not_found (404) unless the endpoint is the user's and has the delivery.
   */
  redeliver(userId: string, endpointId: string, deliveryId: string): Promise<{ delivery: DeliveryResponse }>;
}

export interface WebhookEndpointsServiceDeps {
  database: Database;
  jobs: JobQueue;
  encryptor: Encryptor;
  audit: Pick<AuditService, 'record'>;
  /** The SSRF-safe fetch every outbound call uses. */
  fetch: typeof fetch;
  refusePrivateUrls: boolean;
  firstRetryDelaySec: number;
  /** The delivery log keeps finished deliveries this long (EVENTS_RETENTION_HOURS, as the events). */
  retentionHours: number;
}

export function createWebhookEndpointsService(deps: WebhookEndpointsServiceDeps): WebhookEndpointsService {
  const { database, jobs, encryptor, audit } = deps;
  const contextOf = (endpoint: Pick<EndpointRow, 'id'>) => `webhook-endpoint:${endpoint.id}`;
  const secretOf = (endpoint: Pick<EndpointRow, 'id' | 'secret'>) => encryptor.open(sealedValue.parse(endpoint.secret), contextOf(endpoint));

  async function requireEndpoint(userId: string, id: string) {
    const endpoint = await findOwnedEndpoint(database.db, userId, id);
    if (!endpoint) throw new AppError('not_found', 'Webhook endpoint not found');
    return endpoint;
  }

  const { deliverJob, ...delivering } = createWebhookDelivery({ ...deps, secretOf });

  return {
    ...delivering,

    async create(userId, input, context) {
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

    async rotateKeys() {
      const rows = await listAllEndpoints(database.db);
      let rotated = 0;
      for (const row of rows) {
        if (sealedValue.parse(row.secret).keyId === encryptor.currentKeyId) continue;
        await updateEndpoint(database.db, row.id, { secret: encryptor.seal(secretOf(row), contextOf(row)) });
        rotated++;
      }
      return { rotated, total: rows.length };
    },

    list: async (userId) => ({ endpoints: (await listEndpoints(database.db, userId)).map(toEndpointResponse) }),

    async remove(userId, id, context) {
      await database.transaction(async ({ db }) => {
        if (!(await deleteEndpoint(db, userId, id))) throw new AppError('not_found', 'Webhook endpoint not found');
        await audit.record({ userId, action: 'webhook_endpoint.deleted', resourceType: 'webhook_endpoint', resourceId: id, context }, db);
      });
    },

    async deliveries(userId, endpointId, query) {
      const endpoint = await requireEndpoint(userId, endpointId);
      const { rows, total } = await listDeliveries(database.db, endpoint.id, { offset: offsetOf(query), limit: query.limit });
      return { deliveries: rows.map(toDeliveryResponse), pagination: paginationOf(query, total) };
    },

    async redeliver(userId, endpointId, deliveryId) {
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
