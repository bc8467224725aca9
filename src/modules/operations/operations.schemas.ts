import { z } from 'zod';
import { outboundEmailStatuses, webhookProviders } from '../../db/schema.js';
import { emailKinds } from '../../i18n/email-kinds.js';
import { isoDateTime } from '../../lib/date-time.js';
import { paginationInfo, paginationQuery } from '../../lib/pagination.js';

// Query strings carry text: `true`/`false` only (z.coerce.boolean() would read "false" as true).
const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');

export const webhookEventsQuery = paginationQuery.extend({
  provider: z.enum(webhookProviders).optional(),
  processed: booleanQuery.optional().describe('`true`: applied; `false`: not applied (pending, retrying, failed or dismissed)'),
  error: booleanQuery.optional().describe('`true`: an attempt recorded an error (kept until the event is applied); `false`: none did'),
  dismissed: booleanQuery.optional().describe('`true`: an admin dismissed it (it will not be applied); `false`: not dismissed'),
  from: isoDateTime.optional().describe('Received at or after'),
  to: isoDateTime.optional().describe('Received at or before'),
});

export const webhookEventIdParams = z.object({ id: z.uuid() });

// The body may be left out: a POST without one reaches the route with `null`, read as `{}`.
export const webhookEventDismissBody = z.preprocess(
  (body) => body ?? {},
  z.object({ reason: z.string().trim().min(1).max(500).optional().describe('Why it is dismissed: kept in the audit log') }),
);

const at = z.iso.datetime({ offset: true });

export const webhookEvent = z
  .object({
    id: z.uuid(),
    provider: z.enum(webhookProviders),
    eventType: z.string().describe("The provider's event type (`meeting.ended`, `envelope-completed`)"),
    deliveryKey: z.string().describe('What makes a repeated delivery the same event'),
    processed: z.boolean(),
    processedAt: at.nullable(),
    dispatchedAt: at.nullable().describe('When a job was made for it'),
    error: z.string().nullable().describe('Why the last attempt failed; cleared when the event is applied'),
    retryCount: z.number().int().describe('Failed attempts'),
    dismissedAt: at.nullable().describe('When an admin dismissed it: it will not be applied, and is deleted like an applied event; a replay clears it'),
    receivedAt: at,
  })
  .meta({ id: 'WebhookEvent' });

export const webhookEventsResponse = z.object({ events: z.array(webhookEvent), pagination: paginationInfo });

export const webhookEventReplayResponse = z.object({ event: webhookEvent, replayed: z.literal(true) });

export const webhookEventDismissResponse = z.object({ event: webhookEvent, dismissed: z.literal(true) });

export const emailsQuery = paginationQuery.extend({
  status: z.enum(outboundEmailStatuses).optional().describe('`pending`: being tried (a retry may be waiting); `sent`; `failed`: refused, or out of retries'),
  kind: z.enum(emailKinds).optional(),
  from: isoDateTime.optional().describe('Created at or after'),
  to: isoDateTime.optional().describe('Created at or before'),
});

export const outboundEmail = z
  .object({
    id: z.uuid().describe("Also its `Message-ID`'s left part (`<id@atas>`)"),
    kind: z.enum(emailKinds),
    status: z.enum(outboundEmailStatuses),
    recipient: z.string(),
    language: z.string().describe("The ata's language, the message's (`pt-BR`, `en`, `es`)"),
    attempts: z.number().int().describe('Sending attempts made'),
    errorCode: z.string().nullable().describe('Why the last attempt failed (`smtp_refused_550`, `smtp_temporary_421`); null when none did, and once sent'),
    errorMessage: z.string().nullable().describe("The SMTP server's reply, or what else went wrong; null with `errorCode`"),
    userId: z.uuid().describe('The user whose meeting it is about'),
    minutesId: z.uuid().nullable().describe('The minutes it is about'),
    createdAt: at,
    sentAt: at.nullable(),
    updatedAt: at.describe('Its last change: when it was sent, or its last attempt failed'),
  })
  .meta({ id: 'OutboundEmail' });

export const emailsResponse = z.object({ emails: z.array(outboundEmail), pagination: paginationInfo });

export const queueStats = z
  .object({
    queue: z.string(),
    waiting: z.number().int().describe('Ready to run, not yet picked up'),
    deferred: z.number().int().describe("Waiting for their time: a retry's backoff, a delayed start"),
    active: z.number().int(),
    failed: z.number().int().describe('Failed for good, kept until the queue deletes finished jobs'),
    oldestWaitingSeconds: z.number().describe('How long the job waiting longest has been ready to run; 0 when none waits'),
  })
  .meta({ id: 'QueueStats' });

export const jobsResponse = z.object({ queues: z.array(queueStats) });
