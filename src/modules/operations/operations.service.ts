import type { z } from 'zod';
import type { Database } from '../../db/client.js';
import type { JobQueue, QueueStats } from '../../jobs/queue.js';
import { paginationOf } from '../../lib/pagination.js';
import type { RequestContext } from '../../lib/request-context.js';
import type { AuditService } from '../audit/audit.service.js';
import type { OutboundEmailSummary } from '../notifications/notifications.repo.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import type { WebhookEventSummary } from '../webhooks/webhooks.admin.js';
import type { WebhooksService } from '../webhooks/webhooks.service.js';
import type { emailsQuery, outboundEmail, webhookEvent, webhookEventsQuery } from './operations.schemas.js';

type WebhookEventResponse = z.infer<typeof webhookEvent>;
type OutboundEmailResponse = z.infer<typeof outboundEmail>;

/** What admins do to run the system: stored provider events, notification e-mails and the job queues. Every call is audited. */
export interface OperationsService {
  listWebhookEvents(adminId: string, query: z.output<typeof webhookEventsQuery>, context: RequestContext): Promise<{ events: WebhookEventResponse[]; pagination: ReturnType<typeof paginationOf> }>;
  /**
   * Processes a stored event again (its job skips it once it is applied); audited in the same
   * transaction. Returns the event as it is after the replay (a dismissal taken back is gone).
   * @throws AppError not_found; webhook_event_processed (409).
   */
  replayWebhookEvent(adminId: string, eventId: string, context: RequestContext): Promise<WebhookEventResponse>;
  /**
   * Gives up on a stored event not applied (it stays, dismissed, until retention deletes it);
   * audited, with `reason`, in the same transaction.
   * @throws AppError not_found; webhook_event_processed, webhook_event_dismissed (409).
   */
  dismissWebhookEvent(adminId: string, eventId: string, reason: string | undefined, context: RequestContext): Promise<WebhookEventResponse>;
  /** One page of notification e-mails, newest first, without what they said (their facts). */
  listEmails(adminId: string, query: z.output<typeof emailsQuery>, context: RequestContext): Promise<{ emails: OutboundEmailResponse[]; pagination: ReturnType<typeof paginationOf> }>;
  jobQueues(adminId: string, context: RequestContext): Promise<QueueStats[]>;
}

export function createOperationsService(deps: {
  database: Database;
  audit: AuditService;
  webhooks: Pick<WebhooksService, 'listEvents' | 'replayEvent' | 'dismissEvent'>;
  notifications: Pick<NotificationsService, 'listEmails'>;
  jobs: Pick<JobQueue, 'stats'>;
}): OperationsService {
  const { database, audit } = deps;
  return {
    async listWebhookEvents(adminId, query, context) {
      const { error, dismissed, ...filter } = query;
      const { events, total } = await deps.webhooks.listEvents({ ...filter, hasError: error, isDismissed: dismissed, from: dateOf(query.from), to: dateOf(query.to) });
      // Events hold people's meetings and signers: who looked, and for what, is recorded.
      const details = { provider: query.provider, processed: query.processed, error, dismissed, from: query.from, to: query.to, page: query.page };
      await audit.record({ userId: adminId, action: 'admin.webhook_events_listed', resourceType: 'webhook_event', details, context }, database.db);
      return { events: events.map(toWebhookEventResponse), pagination: paginationOf(query, total) };
    },

    async replayWebhookEvent(adminId, eventId, context) {
      const event = await database.transaction(async (tx) => {
        const { event: replayed, undismissed } = await deps.webhooks.replayEvent(tx, eventId);
        // The error stays on the event until it is applied: the one that made the admin replay it.
        const details = { provider: replayed.provider, eventType: replayed.eventType, previousError: replayed.error, ...(undismissed ? { undismissed: true } : {}) };
        await audit.record({ userId: adminId, action: 'admin.webhook_event_replayed', resourceType: 'webhook_event', resourceId: eventId, details, context }, tx.db);
        return replayed;
      });
      return toWebhookEventResponse(event);
    },

    async dismissWebhookEvent(adminId, eventId, reason, context) {
      const event = await database.transaction(async (tx) => {
        const dismissed = await deps.webhooks.dismissEvent(tx, eventId);
        const details = { provider: dismissed.provider, eventType: dismissed.eventType, error: dismissed.error, reason: reason ?? null };
        await audit.record({ userId: adminId, action: 'admin.webhook_event_dismissed', resourceType: 'webhook_event', resourceId: eventId, details, context }, tx.db);
        return dismissed;
      });
      return toWebhookEventResponse(event);
    },

    async listEmails(adminId, query, context) {
      const { emails, total } = await deps.notifications.listEmails({ ...query, from: dateOf(query.from), to: dateOf(query.to) });
      // E-mails name people's addresses and meetings: who looked, and for what, is recorded.
      const details = { status: query.status, kind: query.kind, from: query.from, to: query.to, page: query.page };
      await audit.record({ userId: adminId, action: 'admin.emails_listed', resourceType: 'outbound_email', details, context }, database.db);
      return { emails: emails.map(toOutboundEmailResponse), pagination: paginationOf(query, total) };
    },

    async jobQueues(adminId, context) {
      const queues = await deps.jobs.stats();
      await audit.record({ userId: adminId, action: 'admin.job_queues_viewed', resourceType: 'job_queue', context }, database.db);
      return queues;
    },
  };
}

const dateOf = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

function toWebhookEventResponse(event: WebhookEventSummary): WebhookEventResponse {
  return {
    id: event.id,
    provider: event.provider,
    eventType: event.eventType,
    deliveryKey: event.deliveryKey,
    processed: event.processed,
    processedAt: event.processedAt?.toISOString() ?? null,
    dispatchedAt: event.dispatchedAt?.toISOString() ?? null,
    error: event.error,
    retryCount: event.retryCount,
    dismissedAt: event.dismissedAt?.toISOString() ?? null,
    receivedAt: event.createdAt.toISOString(),
  };
}

function toOutboundEmailResponse(email: OutboundEmailSummary): OutboundEmailResponse {
  return {
    id: email.id,
    kind: email.kind,
    status: email.status,
    recipient: email.recipient,
    language: email.language,
    attempts: email.attempts,
    errorCode: email.errorCode,
    errorMessage: email.errorMessage,
    userId: email.userId,
    minutesId: email.minutesId,
    createdAt: email.createdAt.toISOString(),
    sentAt: email.sentAt?.toISOString() ?? null,
    updatedAt: email.updatedAt.toISOString(),
  };
}
