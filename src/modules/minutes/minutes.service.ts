import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database, Db } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { Notifications } from '../../db/notifications.js';
import { defineJob, retryOrRecordFailure, type JobContext } from '../../jobs/job.js';
import type { JobQueue } from '../../jobs/queue.js';
import { providerFailure } from '../../lib/error-handler.js';
import { AppError } from '../../lib/errors.js';
import { runIdempotent } from '../../lib/idempotency.js';
import type { RequestContext } from '../../lib/request-context.js';
import type { Storage } from '../../lib/storage.js';
import { ProviderError } from '../../providers/provider-error.js';
import type { AuditService } from '../audit/audit.service.js';
import type { IntegrationsService } from '../integrations/integrations.service.js';
import { toMeetingResponse, type MeetingsService } from '../meetings/meetings.service.js';
import type { EnvelopeResponse } from '../signatures/signatures.responses.js';
import type { TranscriptsService } from '../transcripts/transcripts.service.js';
import type { TranscriptTurn } from '../transcripts/transcript.parse.js';
import { ataNotes } from './ata.schema.js';
import { pdfInputOf, platformOf } from './minutes.document.js';
import { generateAtaNotes, type GenerationProgress } from './minutes.generator.js';
import { normalise } from './minutes.merge.js';
import type { PdfRenderer } from './minutes.pdf-pool.js';
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
  nextVersionNumber,
  stalledGenerations,
  updateMinutes,
  updateProgress,
  type MinutesRow,
} from './minutes.repo.js';
import type { GenerateMinutesInput, SignerInput, UpdateMinutesInput } from './minutes.schemas.js';
import { renderAtaMarkdown } from './minutes.template.js';

export type MinutesService = ReturnType<typeof createMinutesService>;

/** Progress is written at most this often while the model streams: the row is not a log. */
const PROGRESS_WRITE_INTERVAL_MS = 500;
/** A generation whose row nothing has touched for this long is failed: its worker died or hung. */
const STALLED_AFTER_MS = 15 * 60 * 1000;

const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

const generatePayload = z.object({
  minutesId: z.uuid(),
  send: z.object({ signers: z.array(z.object({ email: z.string(), name: z.string().optional() })).min(1) }).optional(),
});
const minutesPayload = z.object({ minutesId: z.uuid() });

/** What the minutes need of the signatures module, which depends on them: set once at wiring. */
export interface SignaturesHooks {
  /** Starts sending just-generated minutes for signature, inside the transaction that stores them. */
  beginSending(tx: { db: Db; client: PoolClient }, minutes: MinutesRow, signers: SignerInput[]): Promise<void>;
  /** The minutes' latest envelope, as the API shows it. */
  latestEnvelopeOf(minutesId: string): Promise<EnvelopeResponse | undefined>;
}

export function isPdfCurrent(row: MinutesRow): boolean {
  return Boolean(row.pdfBlobKey && row.contentSha256 && row.pdfContentSha256 === row.contentSha256);
}

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
    generatedAt: row.version > 0 ? (row.generatedAt?.toISOString() ?? null) : null,
    finalizedAt: row.finalizedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What a failed generation tells the user: a stable code and a message without provider words. */
function failureOf(error: unknown): { code: string; message: string } {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  if (error instanceof ProviderError && ['output_truncated', 'context_length_exceeded', 'context_too_small'].includes(error.code)) {
    return { code: 'generation_failed', message: "The meeting did not fit in the model's context or output, even in smaller parts (see OPENAI_CONTEXT_TOKENS and OPENAI_MAX_TOKENS)" };
  }
  if (error instanceof ProviderError) return providerFailure(error);
  return { code: 'generation_failed', message: 'The minutes could not be generated' };
}

export function createMinutesService(deps: {
  config: Pick<Config, 'openai' | 'minutes'>;
  database: Database;
  jobs: JobQueue;
  storage: Storage;
  pdfRenderer: PdfRenderer;
  notifications: Notifications;
  meetings: MeetingsService;
  transcripts: Pick<TranscriptsService, 'latestOf'>;
  integrations: IntegrationsService;
  audit: AuditService;
}) {
  const { database, jobs, storage, notifications, meetings, audit, config } = deps;
  let signatures: SignaturesHooks | undefined;

  async function requireOwned(userId: string, minutesId: string): Promise<MinutesRow> {
    const row = await findOwnedMinutes(database.db, userId, minutesId);
    if (!row) throw new AppError('not_found', 'Minutes not found');
    return row;
  }

  /** The row after every change until `isSettled` (or `timeoutMs`, or `signal`); `onChange` sees each read. */
  function watch(minutesId: string, isSettled: (row: MinutesRow) => boolean, options: { timeoutMs: number; signal?: AbortSignal; onChange?: (row: MinutesRow) => void }) {
    return notifications.waitFor(minutesId, async () => (await findMinutes(database.db, minutesId))!, isSettled, { ...options, onValue: options.onChange });
  }

  /** Renders the PDF of `row` as it stands (its signers as signature lines) in a worker thread, and stores it. */
  async function renderPdf(row: MinutesRow, key?: string): Promise<{ key: string; sha: string; pdf: Buffer }> {
    const meeting = await meetings.requireMeeting(row.userId, row.meetingId);
    const pdf = await deps.pdfRenderer.render(pdfInputOf(row, meeting, config.minutes.organizationName));
    const storedAt = key ?? `minutes/${row.id}/${row.contentSha256!.slice(0, 16)}-${row.status === 'draft' ? 'draft' : 'final'}.pdf`;
    await storage.put(storedAt, pdf, { contentType: 'application/pdf' });
    return { key: storedAt, sha: sha256(pdf), pdf };
  }

  /** Minutes that had content go back to it (a failed regeneration loses nothing); the error stays visible. */
  async function failGeneration(minutesId: string, error: unknown) {
    const failure = failureOf(error);
    await database.transaction(async ({ db }) => {
      const row = await lockMinutes(db, minutesId);
      if (row?.status !== 'generating') return;
      await updateMinutes(db, minutesId, { status: row.version > 0 ? 'draft' : 'failed', errorCode: failure.code, errorMessage: failure.message, progress: null });
      await audit.record({ userId: row.userId, action: 'minutes.generation_failed', resourceType: 'minutes', resourceId: minutesId, details: { code: failure.code } }, db);
      await notifications.notify(db, minutesId);
    });
  }

  async function writeContent(row: MinutesRow, send: z.infer<typeof generatePayload>['send'], generated: { content: string; notes: unknown; model: string; usage: unknown }) {
    await database.transaction(async ({ db, client }) => {
      const current = await lockMinutes(db, row.id);
      if (current?.status !== 'generating') return;
      const version = await nextVersionNumber(db, row.id);
      const contentSha256 = sha256(generated.content);
      await insertVersion(db, { minutesId: row.id, version, source: 'generated', content: generated.content, notes: generated.notes, language: row.language, model: generated.model });
      let stored = await updateMinutes(db, row.id, {
        status: 'draft',
        content: generated.content,
        notes: generated.notes,
        version,
        contentSha256,
        model: generated.model,
        usage: generated.usage,
        generatedAt: new Date(),
        progress: null,
        errorCode: null,
        errorMessage: null,
      });
      await audit.record({ userId: row.userId, action: 'minutes.generated', resourceType: 'minutes', resourceId: row.id, details: { version, model: generated.model } }, db);
      if (send && signatures) {
        stored = await updateMinutes(db, row.id, { status: 'finalized', finalizedAt: new Date() });
        await audit.record({ userId: row.userId, action: 'minutes.finalized', resourceType: 'minutes', resourceId: row.id, details: { contentSha256 } }, db);
        await signatures.beginSending({ db, client }, stored, send.signers);
      }
      await jobs.enqueue(renderPdfJob, { minutesId: row.id }, { client });
      await notifications.notify(db, row.id);
    });
  }

  async function runGeneration(payload: z.infer<typeof generatePayload>, context: JobContext) {
    try {
      const row = await findMinutes(database.db, payload.minutesId);
      if (row?.status !== 'generating') return; // done already, or replaced: a retried job does nothing
      const meeting = await meetings.requireMeeting(row.userId, row.meetingId);
      const transcript = await deps.transcripts.latestOf(meeting.id);
      if (!transcript) throw new AppError('transcript_missing', 'This meeting has no transcript');
      const turns = (transcript.turns as TranscriptTurn[]).map((turn, index) => ({ ...turn, index }));
      const participants = await meetings.participantsOf(meeting.id);
      const language = row.language as MinutesLanguage;
      const openai = await deps.integrations.openaiFor(row.userId);

      let lastWrite = 0;
      const { notes, usage, chunks } = await generateAtaNotes({
        openai,
        contextTokens: config.openai.contextTokens,
        facts: { topic: meeting.topic, startTime: meeting.startTime.toISOString(), platform: platformOf(meeting, 'en'), invited: participants },
        turns,
        language,
        onProgress: (progress) => {
          const isMilestone = progress.stage === 'merging' || progress.chunksDone === progress.chunksTotal;
          if (!isMilestone && Date.now() - lastWrite < PROGRESS_WRITE_INTERVAL_MS) return;
          lastWrite = Date.now();
          void database
            .transaction(async ({ db }) => {
              if (await updateProgress(db, row.id, progress)) await notifications.notify(db, row.id);
            })
            .catch((error: unknown) => context.log.warn({ err: error }, 'could not record progress'));
        },
      });
      // Present: who spoke, and who joined without speaking; absent: who was invited and did neither.
      const spoke = new Set(notes.attendees.map((attendee) => normalise(attendee.name)));
      const silent = participants.filter((person) => !spoke.has(normalise(person.name ?? '')) && !spoke.has(normalise(person.email)));
      notes.attendees.push(...silent.filter((person) => person.joinedAt).map((person) => ({ name: person.name ?? person.email, role: null })));
      const absent = silent.filter((person) => !person.joinedAt).map((person) => person.name ?? person.email);
      const content = renderAtaMarkdown(
        notes,
        {
          topic: meeting.topic,
          startTime: meeting.startTime,
          durationMinutes: meeting.duration,
          platform: platformOf(meeting, language),
          timeZone: row.timeZone,
          absent,
          turnStart: (index) => turns[index]?.start ?? null,
        },
        language,
      );
      await writeContent(row, payload.send, { content, notes, model: openai.model, usage: { ...usage, chunks } });
    } catch (error) {
      await retryOrRecordFailure(error, context, () => failGeneration(payload.minutesId, error));
    }
  }

  async function runRender(payload: z.infer<typeof minutesPayload>) {
    const row = await findMinutes(database.db, payload.minutesId);
    // Once sent for signature, the PDF is the one the signers received: never rendered again.
    if (!row?.contentSha256 || (row.status !== 'draft' && row.status !== 'finalized') || isPdfCurrent(row)) return;
    const pdf = await renderPdf(row);
    await database.transaction(async ({ db }) => {
      const current = await lockMinutes(db, row.id);
      // Edited or finalised again while rendering: the newer render job stores its own PDF.
      if (current?.contentSha256 !== row.contentSha256 || (current.status === 'draft') !== (row.status === 'draft')) return;
      await updateMinutes(db, row.id, { pdfBlobKey: pdf.key, pdfSha256: pdf.sha, pdfContentSha256: row.contentSha256 });
      await notifications.notify(db, row.id);
    });
  }

  async function failStalledGenerations() {
    for (const row of await stalledGenerations(database.db, new Date(Date.now() - STALLED_AFTER_MS))) {
      await failGeneration(row.id, new AppError('generation_failed', 'The generation stopped making progress; try again'));
    }
  }

  // The SDK already retried 429/5xx a few times: one more attempt, later, is enough.
  const generateMinutesJob = defineJob({ name: 'generate-minutes', payloadSchema: generatePayload, retryLimit: 1, retryDelaySec: 60, expireInSeconds: 60 * 60, handler: runGeneration });
  const renderPdfJob = defineJob({ name: 'render-minutes-pdf', payloadSchema: minutesPayload, retryLimit: 5, retryDelaySec: 5, handler: runRender });
  const stalledGenerationsJob = defineJob({ name: 'fail-stalled-generations', payloadSchema: z.object({}).passthrough(), retryLimit: 0, handler: failStalledGenerations });

  return {
    jobs: [generateMinutesJob, renderPdfJob, stalledGenerationsJob],
    schedules: [{ job: stalledGenerationsJob, cron: '* * * * *' }],
    watch,
    renderPdf,
    connectSignatures(hooks: SignaturesHooks) {
      signatures = hooks;
    },

    /** For the signatures module: the minutes of a user, or undefined. */
    findOwned: (userId: string, minutesId: string) => findOwnedMinutes(database.db, userId, minutesId),

    /** For the signatures module, inside its transaction: the minutes locked until it commits. */
    lockWithin: (db: Db, minutesId: string) => lockMinutes(db, minutesId),

    /** Inside the sender's transaction: out for signature to `signers`. */
    markSentForSignature: (db: Db, minutesId: string, signers: SignerInput[]) => updateMinutes(db, minutesId, { status: 'sent_for_signature', signers }).then(() => undefined),

    /** Inside the sender's transaction: from now on GET /pdf serves exactly the PDF the signers received. */
    async useSentPdf(db: Db, minutesId: string, pdf: { key: string; sha256: string | null }) {
      const minutes = await lockMinutes(db, minutesId);
      if (minutes) await updateMinutes(db, minutesId, { pdfBlobKey: pdf.key, pdfSha256: pdf.sha256, pdfContentSha256: minutes.contentSha256 });
    },

    /** Inside the sender's transaction: sending failed, the minutes are finalised again (with a PDF of their own). */
    async sendingFailed(tx: { db: Db; client: PoolClient }, minutesId: string) {
      const minutes = await lockMinutes(tx.db, minutesId);
      if (minutes?.status !== 'sent_for_signature') return;
      await updateMinutes(tx.db, minutesId, { status: 'finalized' });
      // Sent straight after generation, they may never have had a PDF of their own.
      await jobs.enqueue(renderPdfJob, { minutesId }, { client: tx.client });
    },

    /** Inside the tracker's transaction: the envelope ended; minutes still out for signature follow it. */
    async signatureEnded(db: Db, minutesId: string, outcome: 'signed' | 'declined' | 'voided') {
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
                : await insertMinutes(db, { meetingId: meeting.id, userId, content: '', ...settings });
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
          const version = await nextVersionNumber(db, row.id);
          await insertVersion(db, { minutesId: row.id, version, source: 'edited', content: changes.content, language: row.language, createdBy: userId });
          next = await updateMinutes(db, row.id, { content: changes.content, contentSha256: sha256(changes.content), version, errorCode: null, errorMessage: null });
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
