import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import type { Notifications } from '../../db/notifications.js';
import { defineJob, type JobDefinition } from '../../jobs/job.js';
import { sha256Hex } from '../../lib/crypto.js';
import type { Storage } from '../../lib/storage.js';
import type { EventsService } from '../events/events.service.js';
import type { MeetingsService } from '../meetings/meetings.service.js';
import { isPdfCurrent, pdfInputOf } from './minutes.document.js';
import { findMinutes, lockMinutes, updateMinutes, type MinutesRow } from './minutes.repo.js';
import type { MinutesWorkers } from './minutes.worker-pool.js';

export interface RenderedPdf {
  key: string;
  sha: string;
  pdf: Buffer;
}

/** The minutes' PDFs: rendered in worker threads, stored, and kept current by a job after each change. */
export interface MinutesRendering {
  /** Renders the PDF of `row` as it stands (its signers as signature lines) and stores it at `key` (default: by content and status). */
  renderPdf(row: MinutesRow, key?: string): Promise<RenderedPdf>;
  /** Renders and stores the PDF of the minutes' current content, unless it is current already or they are out for signature. */
  renderPdfJob: JobDefinition<{ minutesId: string }>;
}

export interface MinutesRenderingDeps {
  config: Pick<Config, 'minutes'>;
  database: Database;
  storage: Storage;
  /** Worker threads for PDFs. */
  minutesWorkers: MinutesWorkers;
  notifications: Notifications;
  events: Pick<EventsService, 'publish'>;
  meetings: Pick<MeetingsService, 'requireMeeting'>;
}

export function createMinutesRendering(deps: MinutesRenderingDeps): MinutesRendering {
  const { database, storage, notifications, events, meetings, config } = deps;

  async function renderPdf(row: MinutesRow, key?: string): Promise<RenderedPdf> {
    const meeting = await meetings.requireMeeting(row.userId, row.meetingId);
    const pdf = await deps.minutesWorkers.renderPdf(pdfInputOf(row, meeting, config.minutes.organizationName));
    const storedAt = key ?? `minutes/${row.id}/${row.contentSha256!.slice(0, 16)}-${row.status === 'draft' ? 'draft' : 'final'}.pdf`;
    await storage.put(storedAt, pdf, { contentType: 'application/pdf' });
    return { key: storedAt, sha: sha256Hex(pdf), pdf };
  }

  async function renderCurrentPdf(payload: { minutesId: string }) {
    const row = await findMinutes(database.db, payload.minutesId);
    // Once sent for signature, the PDF is the one the signers received: never rendered again.
    if (!row?.contentSha256 || (row.status !== 'draft' && row.status !== 'finalized') || isPdfCurrent(row)) return;
    const pdf = await renderPdf(row);
    await database.transaction(async ({ db, client }) => {
      const current = await lockMinutes(db, row.id);
      // Edited or finalised again while rendering: the newer render job stores its own PDF.
      if (current?.contentSha256 !== row.contentSha256 || (current.status === 'draft') !== (row.status === 'draft')) return;
      await updateMinutes(db, row.id, { pdfBlobKey: pdf.key, pdfSha256: pdf.sha, pdfContentSha256: row.contentSha256 });
      await events.publish({ db, client }, row.userId, 'minutes.pdf_ready', { minutesId: row.id, meetingId: row.meetingId, pdfSha256: pdf.sha });
      await notifications.notify(db, row.id);
    });
  }

  return {
    renderPdf,
    // Rendering runs in the PDF worker threads, which bound the CPU it takes.
    renderPdfJob: defineJob({ name: 'render-minutes-pdf', payloadSchema: z.object({ minutesId: z.uuid() }), retryLimit: 5, retryDelaySec: 5, workers: 2, batchSize: 2, handler: renderCurrentPdf }),
  };
}
