import type { Database } from '../../db/client.js';
import type { Notifications } from '../../db/notifications.js';
import { z } from 'zod';
import { deleteInBatches } from '../../db/batches.js';
import { defineJob, type AnyJobDefinition } from '../../jobs/job.js';
import type { JobQueue } from '../../jobs/queue.js';
import type { Logger } from '../../lib/logger.js';
import type { SignaturesService } from '../signatures/signatures.service.js';
import type { MeetingsService } from '../meetings/meetings.service.js';
import type { TranscriptsService } from '../transcripts/transcripts.service.js';
import { createWebhookEventsAdmin, type WebhookEventsAdmin } from './webhooks.admin.js';
import { createDocuSignWebhooks } from './webhooks.docusign.js';
import { createWebhookDispatcher, createWebhookInbox } from './webhooks.inbox.js';
import { deleteFinishedWebhookEventsBefore } from './webhooks.repo.js';
import { createZoomWebhooks, type ZoomReceipt } from './webhooks.zoom.js';

/**
 * Provider callbacks (Zoom's webhooks, DocuSign Connect): each verified over its raw body,
 * stored, acknowledged, then applied once by a job; a repeated delivery is recognised.
 */
export interface WebhooksService extends WebhookEventsAdmin {
  /** The jobs that apply stored Zoom and DocuSign events and the clean-up, for the worker to run. */
  jobs: AnyJobDefinition[];
  /** The clean-up of applied and dismissed events, hourly. */
  schedules: { job: AnyJobDefinition; cron: string }[];
  /**
   * Deletes, in batches, the events applied or dismissed over WEBHOOK_EVENT_RETENTION_DAYS before
   * `now`; a failed or pending event stays until it is applied or dismissed. Returns how many.
   */
  deleteExpired(now?: Date): Promise<number>;
  /**
   * In a worker: turns stored events into jobs as they arrive (woken by the statement that
   * stored them) and every `sweepMs`, which also finds what a crash or a lost notification
   * left behind. One dispatch at a time per process; several processes share the work (SKIP LOCKED).
   */
  startDispatcher(options: { sweepMs: number; log: Logger }): Promise<{ stop(): Promise<void> }>;
  /**
   * Verifies, stores and enqueues a Zoom delivery, or answers Zoom's URL validation. A
   * repeated delivery is recognised and not enqueued again.
   * @throws AppError webhook_signature_invalid (401) when the signature does not hold.
   */
  receiveZoom(request: { rawBody: Buffer; signature: string | undefined; timestamp: string | undefined }): Promise<ZoomReceipt>;
  /**
   * Verifies (HMAC with any configured key), stores and enqueues a DocuSign Connect message. A
   * repeated delivery (DocuSign retries, with another retryCount) is recognised.
   * @throws AppError webhook_signature_invalid (401) when no signature holds.
   */
  receiveDocuSign(request: { rawBody: Buffer; headers: Record<string, string | string[] | undefined> }): Promise<{ duplicate: boolean }>;
}

export interface WebhooksServiceDeps {
  database: Database;
  jobs: JobQueue;
  notifications: Notifications;
  meetings: Pick<MeetingsService, 'findByZoomId' | 'applyZoomStatus' | 'recordPresence' | 'recordRecording'>;
  transcripts: Pick<TranscriptsService, 'importFromZoom'>;
  signatures: Pick<SignaturesService, 'applyConnectEvent' | 'connectKeysOf'>;
  zoomWebhookSecret: string | undefined;
  /** DocuSign Connect HMAC keys; more than one during a rotation. */
  docusignWebhookSecrets: string[];
  /** An applied or dismissed event is kept this long (WEBHOOK_EVENT_RETENTION_DAYS), for support and audits. */
  retentionDays: number;
  log: Logger;
}

export function createWebhooksService(deps: WebhooksServiceDeps): WebhooksService {
  const inbox = createWebhookInbox(deps);
  const zoom = createZoomWebhooks({ ...deps, inbox });
  const docusign = createDocuSignWebhooks({ ...deps, inbox });
  const { startDispatcher } = createWebhookDispatcher({ ...deps, jobOf: { zoom: zoom.job, docusign: docusign.job } });
  async function deleteExpired(now = new Date()) {
    const cutoff = new Date(now.getTime() - deps.retentionDays * 86_400_000);
    const deleted = await deleteInBatches((limit) => deleteFinishedWebhookEventsBefore(deps.database.db, cutoff, limit));
    if (deleted > 0) deps.log.info({ deleted }, 'applied and dismissed webhook events deleted');
    return deleted;
  }
  const cleanupJob = defineJob({ name: 'delete-expired-webhook-events', payloadSchema: z.object({}).passthrough(), retryLimit: 0, handler: async () => void (await deleteExpired()) });
  return {
    jobs: [zoom.job, docusign.job, cleanupJob],
    schedules: [{ job: cleanupJob, cron: '37 * * * *' }],
    deleteExpired,
    startDispatcher,
    ...createWebhookEventsAdmin({ ...deps, jobOf: { zoom: zoom.job, docusign: docusign.job } }),
    receiveZoom: zoom.receiveZoom,
    receiveDocuSign: docusign.receiveDocuSign,
  };
}
