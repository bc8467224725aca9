import type { Database } from '../../db/client.js';
import type { Notifications } from '../../db/notifications.js';
import type { JobQueue } from '../../jobs/queue.js';
import { AppError } from '../../lib/errors.js';
import type { MinutesForSigning } from '../signatures/signable-minutes.js';
import { signatureAnchor } from './minutes.document.js';
import type { MinutesRendering } from './minutes.rendering.js';
import { findMinutes, findOwnedMinutes, lockMinutes, updateMinutes } from './minutes.repo.js';

/** The minutes' side of signing: the status transitions an envelope causes, owned here. */
export function createMinutesForSigning(deps: { database: Database; jobs: JobQueue; notifications: Notifications; rendering: MinutesRendering }): MinutesForSigning {
  const { database, jobs, notifications, rendering } = deps;
  return {
    findOwned: (userId, minutesId) => findOwnedMinutes(database.db, userId, minutesId),
    lockWithin: (db, minutesId) => lockMinutes(db, minutesId),
    markSentForSignature: (db, minutesId, signers) => updateMinutes(db, minutesId, { status: 'sent_for_signature', signers }).then(() => undefined),

    async useSentPdf(db, minutesId, pdf) {
      const minutes = await lockMinutes(db, minutesId);
      if (minutes) await updateMinutes(db, minutesId, { pdfBlobKey: pdf.key, pdfSha256: pdf.sha256, pdfContentSha256: minutes.contentSha256 });
    },

    async sendingFailed(tx, minutesId) {
      const minutes = await lockMinutes(tx.db, minutesId);
      if (minutes?.status !== 'sent_for_signature') return;
      await updateMinutes(tx.db, minutesId, { status: 'finalized' });
      // Sent straight after generation, they may never have had a PDF of their own.
      await jobs.enqueue(rendering.renderPdfJob, { minutesId }, { client: tx.client });
    },

    async signatureEnded(db, minutesId, outcome) {
      const minutes = await lockMinutes(db, minutesId);
      if (minutes?.status === 'sent_for_signature') await updateMinutes(db, minutesId, { status: outcome });
      await notifications.notify(db, minutesId);
    },

    async renderPdf(minutesId, key) {
      const minutes = await findMinutes(database.db, minutesId);
      if (!minutes) throw new AppError('not_found', 'Minutes not found');
      return rendering.renderPdf(minutes, key);
    },

    signatureAnchor,
  };
}
