import type { QueryRunner, Transaction } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { sha256Hex } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { runIdempotent } from '../../db/idempotency.js';
import type { RequestContext } from '../../lib/request-context.js';
import { toMeetingResponse } from '../meetings/meetings.service.js';
import { ataNotes } from './ata.schema.js';
import { isPdfCurrent } from './minutes.document.js';
import { createMinutesJobs, type MinutesDeps, type SignaturesHooks } from './minutes.jobs.js';
import type { GenerationProgress } from './minutes.generator.js';
import type { MinutesLanguage } from './minutes.prompt.js';
import {
  findMinutes,
  findOwnedMinutes,
  insertMinutes,
  insertVersion,
  lockLatestMinutesOfMeeting,
  listMinutesOfMeeting,
  listVersions,
  lockMinutes,
  updateMinutes,
  type MinutesRow,
} from './minutes.repo.js';
import type { GenerateMinutesInput, SignerInput, UpdateMinutesInput } from './minutes.schemas.js';

export type MinutesService = ReturnType<typeof createMinutesService>;

export function toMinutesResponse(row: MinutesRow) {
  const structured = ataNotes.safeParse(row.notes);
  return {
    id: row.id,
    meetingId: row.meetingId,
    userId: row.userId,
    status: row.status,
    content: row.content,
    structured: structured.success ? structured.data : null,
    language: row.language as MinutesLanguage,
    isTest: row.isTest,
    version: row.version,
    signers: row.signers as SignerInput[],
    pdfUrl: isPdfCurrent(row) ? `/v1/minutes/${row.id}/pdf` : null,
    contentSha256: row.contentSha256,
    pdfSha256: isPdfCurrent(row) ? row.pdfSha256 : null,
    model: row.model,
    progress: row.status === 'generating' ? ((row.progress as GenerationProgress | null) ?? null) : null,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
    generatedAt: row.generatedAt?.toISOString() ?? null,
    finalizedAt: row.finalizedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function createMinutesService(deps: MinutesDeps) {
  const { database, jobs, storage, notifications, meetings, audit, config } = deps;
  let signatures: SignaturesHooks | undefined;
  const background = createMinutesJobs({ ...deps, signatures: () => signatures });
  const { generateMinutesJob, renderPdfJob } = background;

  async function requireOwned(userId: string, minutesId: string): Promise<MinutesRow> {
    const row = await findOwnedMinutes(database.db, userId, minutesId);
    if (!row) throw new AppError('not_found', 'Minutes not found');
    return row;
  }

  /** The row after every change until `isSettled` (or `timeoutMs`, or `signal`); `onChange` sees each read. */
  function watch(minutesId: string, isSettled: (row: MinutesRow) => boolean, options: { timeoutMs: number; signal?: AbortSignal; onChange?: (row: MinutesRow) => void }) {
    return notifications.waitFor(minutesId, async () => (await findMinutes(database.db, minutesId))!, isSettled, { ...options, onValue: options.onChange });
  }

  return {
    jobs: background.definitions,
    schedules: background.schedules,
    watch,
    renderPdf: background.renderPdf,
    connectSignatures(hooks: SignaturesHooks) {
      signatures = hooks;
    },

    /** For the signatures module: the minutes of a user, or undefined. */
    findOwned: (userId: string, minutesId: string) => findOwnedMinutes(database.db, userId, minutesId),

    /** For the signatures module, inside its transaction: the minutes locked until it commits. */
    lockWithin: (db: QueryRunner, minutesId: string) => lockMinutes(db, minutesId),

    /** Inside the sender's transaction: out for signature to `signers`. */
    markSentForSignature: (db: QueryRunner, minutesId: string, signers: SignerInput[]) => updateMinutes(db, minutesId, { status: 'sent_for_signature', signers }).then(() => undefined),

    /** Inside the sender's transaction: from now on GET /pdf serves exactly the PDF the signers received. */
    async useSentPdf(db: QueryRunner, minutesId: string, pdf: { key: string; sha256: string | null }) {
      const minutes = await lockMinutes(db, minutesId);
      if (minutes) await updateMinutes(db, minutesId, { pdfBlobKey: pdf.key, pdfSha256: pdf.sha256, pdfContentSha256: minutes.contentSha256 });
    },

    /** Inside the sender's transaction: sending failed, the minutes are finalised again (with a PDF of their own). */
    async sendingFailed(tx: Transaction, minutesId: string) {
      const minutes = await lockMinutes(tx.db, minutesId);
      if (minutes?.status !== 'sent_for_signature') return;
      await updateMinutes(tx.db, minutesId, { status: 'finalized' });
      // Sent straight after generation, they may never have had a PDF of their own.
      await jobs.enqueue(renderPdfJob, { minutesId }, { client: tx.client });
    },

    /** Inside the tracker's transaction: the envelope ended; minutes still out for signature follow it. */
    async signatureEnded(db: QueryRunner, minutesId: string, outcome: 'signed' | 'declined' | 'voided') {
      const minutes = await lockMinutes(db, minutesId);
      if (minutes?.status === 'sent_for_signature') await updateMinutes(db, minutesId, { status: outcome });
      await notifications.notify(db, minutesId);
    },

    /**
     * Starts a generation (a job) for the meeting: into its latest minutes while they are a
     * draft or failed (the earlier text stays a version), else into new minutes.
     * @throws AppError transcript_missing (409), generation_in_progress (409).
     */
    async requestGeneration(userId: string, meetingId: string, input: GenerateMinutesInput, idempotencyKey: string | undefined, context: RequestContext) {
      return runIdempotent(database.db, { userId, key: idempotencyKey, method: 'POST', path: `/v1/meetings/${meetingId}/minutes`, payload: input }, async () => {
        const meeting = await meetings.requireMeeting(userId, meetingId);
        if (!(await deps.transcripts.latestOf(meeting.id))) {
          throw new AppError('transcript_missing', 'This meeting has no transcript yet: wait for Zoom to deliver it or upload one at POST /v1/meetings/:id/transcript');
        }
        // Refused before anything is written: without a model (or DocuSign, to send) the job could only fail.
        await deps.integrations.credentialsFor(userId, 'openai');
        if (input.includeSignature && !input.testMode) await deps.integrations.credentialsFor(userId, 'docusign');
        const inProgress = () => new AppError('generation_in_progress', 'Minutes of this meeting are being generated already');
        try {
          const minutesId = await database.transaction(async ({ db, client }) => {
            const latest = await lockLatestMinutesOfMeeting(db, meeting.id);
            if (latest?.status === 'generating') throw inProgress();
            const settings = {
              status: 'generating' as const,
              language: input.language,
              timeZone: input.timeZone,
              isTest: input.testMode,
              signers: input.signers ?? [],
              progress: null,
              errorCode: null,
              errorMessage: null,
            };
            const row =
              latest && (latest.status === 'draft' || latest.status === 'failed')
                ? await updateMinutes(db, latest.id, settings)
                : await insertMinutes(db, { meetingId: meeting.id, userId, content: '', generatedAt: null, ...settings });
            const send = input.includeSignature && !input.testMode && input.signers ? { signers: input.signers } : undefined;
            await jobs.enqueue(generateMinutesJob, { minutesId: row.id, ...(send ? { send } : {}) }, { client });
            await audit.record(
              { userId, action: 'minutes.generation_requested', resourceType: 'minutes', resourceId: row.id, details: { meetingId: meeting.id, language: input.language, testMode: input.testMode }, context },
              db,
            );
            return row.id;
          });
          return { status: 202, body: { minutesId } };
        } catch (error) {
          // Two first generations at once: the partial unique index lets one through.
          if (isUniqueViolation(error)) throw inProgress();
          throw error;
        }
      });
    },

    /**
     * The minutes once generated and their PDF rendered, or as they are after `timeoutMs` (or
     * when `signal` aborts: the server is stopping).
     */
    async waitForGeneration(userId: string, minutesId: string, timeoutMs: number, signal?: AbortSignal) {
      await requireOwned(userId, minutesId);
      return watch(minutesId, (row) => row.status !== 'generating' && (Boolean(row.errorCode) || isPdfCurrent(row)), { timeoutMs, signal });
    },

    async listForMeeting(userId: string, meetingId: string) {
      const meeting = await meetings.requireMeeting(userId, meetingId);
      return { minutes: (await listMinutesOfMeeting(database.db, meeting.id)).map(toMinutesResponse) };
    },

    async details(userId: string, minutesId: string) {
      const row = await requireOwned(userId, minutesId);
      const meeting = await meetings.requireMeeting(userId, row.meetingId);
      const envelope = await signatures?.latestEnvelopeOf(row.id);
      return {
        minutes: toMinutesResponse(row),
        meeting: toMeetingResponse(meeting),
        ...(envelope ? { envelope } : {}),
        documentChain: {
          contentSha256: row.contentSha256,
          sentPdfSha256: envelope?.sentPdfSha256 ?? null,
          signedPdfSha256: envelope?.signedPdfSha256 ?? null,
          certificateSha256: envelope?.certificateSha256 ?? null,
        },
      };
    },

    /**
     * Edits a draft's content (kept as a version) or finalises it: the content freezes and the
     * final PDF is rendered by a job; the answer waits for that PDF up to MINUTES_WAIT_MS.
     * @throws AppError minutes_frozen (409) for edits after finalisation.
     */
    async update(userId: string, minutesId: string, changes: UpdateMinutesInput, context: RequestContext, signal?: AbortSignal) {
      await requireOwned(userId, minutesId);
      const updated = await database.transaction(async ({ db, client }) => {
        const row = (await lockMinutes(db, minutesId))!;
        if (row.status === 'generating') throw new AppError('generation_in_progress', 'Wait for the generation to finish before editing');
        if (row.status === 'failed') throw new AppError('minutes_frozen', 'These minutes have no content: generate them again');
        if (row.status !== 'draft') {
          if (changes.content === undefined && changes.status === 'finalized' && row.status === 'finalized') return row;
          throw new AppError('minutes_frozen', `Minutes that are ${row.status.replace(/_/g, ' ')} cannot be changed`);
        }
        let next = row;
        if (changes.content !== undefined && changes.content !== row.content) {
          const version = row.version + 1;
          await insertVersion(db, { minutesId: row.id, version, source: 'edited', content: changes.content, language: row.language, createdBy: userId });
          next = await updateMinutes(db, row.id, { content: changes.content, contentSha256: sha256Hex(changes.content), version, errorCode: null, errorMessage: null });
          await audit.record({ userId, action: 'minutes.edited', resourceType: 'minutes', resourceId: row.id, details: { version }, context }, db);
        }
        if (changes.status === 'finalized') {
          next = await updateMinutes(db, row.id, { status: 'finalized', finalizedAt: new Date(), pdfBlobKey: null, pdfSha256: null, pdfContentSha256: null });
          await audit.record({ userId, action: 'minutes.finalized', resourceType: 'minutes', resourceId: row.id, details: { contentSha256: next.contentSha256 }, context }, db);
        }
        if (next !== row) await jobs.enqueue(renderPdfJob, { minutesId: row.id }, { client });
        return next;
      });
      const settled = changes.status === 'finalized' ? await watch(minutesId, isPdfCurrent, { timeoutMs: config.minutes.waitMs, signal }) : updated;
      return { minutes: toMinutesResponse(settled) };
    },

    /**
     * The PDF of the current content.
     * @throws AppError pdf_not_ready (409, Retry-After) while it is being rendered; not_found before there is content.
     */
    async pdf(userId: string, minutesId: string): Promise<{ pdf: Buffer; fileName: string; sha256: string }> {
      const row = await requireOwned(userId, minutesId);
      if (!row.contentSha256) throw new AppError('not_found', 'These minutes have no content yet, so no PDF');
      if (!isPdfCurrent(row)) throw new AppError('pdf_not_ready', 'The PDF of these minutes is being rendered; try again shortly', undefined, { headers: { 'retry-after': '2' } });
      return { pdf: await storage.get(row.pdfBlobKey!), fileName: `ata-${row.id}.pdf`, sha256: row.pdfSha256! };
    },

    async versions(userId: string, minutesId: string) {
      const row = await requireOwned(userId, minutesId);
      const versions = await listVersions(database.db, row.id);
      return {
        versions: versions.map((version) => ({
          version: version.version,
          source: version.source,
          content: version.content,
          language: version.language,
          model: version.model,
          createdAt: version.createdAt.toISOString(),
        })),
      };
    },
  };
}
