import type { Database } from '../../db/client.js';
import type { Notifications } from '../../db/notifications.js';
import type { AnyJobDefinition } from '../../jobs/job.js';
import type { JobQueue } from '../../jobs/queue.js';
import type { Logger } from '../../lib/logger.js';
import type { SignaturesService } from '../signatures/signatures.service.js';
import type { MeetingsService } from '../meetings/meetings.service.js';
import type { TranscriptsService } from '../transcripts/transcripts.service.js';
import { createDocuSignWebhooks } from './webhooks.docusign.js';
import { createWebhookDispatcher, createWebhookInbox } from './webhooks.inbox.js';
import { createZoomWebhooks, type ZoomReceipt } from './webhooks.zoom.js';

/**
 * Provider callbacks (Zoom's webhooks, DocuSign Connect): each verified over its raw body,
 * stored, acknowledged, then applied once by a job; a repeated delivery is recognised.
 */
export interface WebhooksService {
  /** The jobs that apply stored Zoom and DocuSign events, for the worker to run. */
  jobs: AnyJobDefinition[];
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
}

export function createWebhooksService(deps: WebhooksServiceDeps): WebhooksService {
  const inbox = createWebhookInbox(deps);
  const zoom = createZoomWebhooks({ ...deps, inbox });
  const docusign = createDocuSignWebhooks({ ...deps, inbox });
  const { startDispatcher } = createWebhookDispatcher({ ...deps, jobOf: { zoom: zoom.job, docusign: docusign.job } });
  return { jobs: [zoom.job, docusign.job], startDispatcher, receiveZoom: zoom.receiveZoom, receiveDocuSign: docusign.receiveDocuSign };
}
