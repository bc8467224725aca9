import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database, Db } from '../../db/client.js';
import type { Notifications } from '../../db/notifications.js';
import { defineJob, type JobContext } from '../../jobs/job.js';
import type { JobQueue } from '../../jobs/queue.js';
import { providerFailure } from '../../lib/error-handler.js';
import { AppError } from '../../lib/errors.js';
import { runIdempotent } from '../../lib/idempotency.js';
import type { RequestContext } from '../../lib/request-context.js';
import type { Storage } from '../../lib/storage.js';
import { ProviderError } from '../../providers/provider-error.js';
import type { AuditService } from '../audit/audit.service.js';
import type { IntegrationsService } from '../integrations/integrations.service.js';
import { toMeetingResponse } from '../meetings/meetings.service.js';
import type { MeetingsService } from '../meetings/meetings.service.js';
import { latestEnvelopeOf } from '../signatures/signatures.repo.js';
import { toEnvelopeResponse } from '../signatures/signatures.responses.js';
import type { TranscriptTurn } from '../transcripts/transcript.parse.js';
import { latestTranscript } from '../transcripts/transcripts.repo.js';
import { ataNotes, type AtaNotes } from './ata.schema.js';
import { generateAtaNotes, type GenerationProgress } from './minutes.generator.js';
import { normalise } from './minutes.merge.js';
import { renderMinutesPdf } from './minutes.pdf.js';
import type { MinutesLanguage } from './minutes.prompt.js';
import {
  findMinutes,
  findOwnedMinutes,
  insertMinutes,
  insertVersion,
  latestMinutesOfMeeting,
  listMinutesOfMeeting,
  listVersions,
  lockMinutes,
  nextVersionNumber,
  updateMinutes,
  type MinutesRow,
} from './minutes.repo.js';
import type { GenerateMinutesInput, SignerInput, UpdateMinutesInput } from './minutes.schemas.js';
import { formatMeetingTime, renderAtaMarkdown, wordingOf } from './minutes.template.js';

export type MinutesService = ReturnType<typeof createMinutesService>;

/** Progress is written at most this often while the model streams: the row is not a log. */
const PROGRESS_WRITE_INTERVAL_MS = 500;
/** Waiters re-read the row this often even without a notification (the listener may be down). */
const POLL_FALLBACK_MS = 2000;

const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

const generatePayload = z.object({
  minutesId: z.uuid(),
  send: z.object({ signers: z.array(z.object({ email: z.string(), name: z.string().optional() })).min(1) }).optional(),
});

/** Starts sending just-generated minutes for signature, inside the transaction that stores them. */
export type SendAfterGeneration = (tx: { db: Db; client: PoolClient }, minutes: MinutesRow, signers: SignerInput[]) => Promise<void>;
const renderPayload = z.object({ minutesId: z.uuid() });

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
    error: row.status === 'failed' && row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
    generatedAt: row.version > 0 ? (row.generatedAt?.toISOString() ?? null) : null,
    finalizedAt: row.finalizedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function isPdfCurrent(row: MinutesRow): boolean {
  return Boolean(row.pdfBlobKey && row.contentSha256 && row.pdfContentSha256 === row.contentSha256);
}

/** What a failed generation tells the user: a stable code and a message without provider words. */
function failureOf(error: unknown): { code: string; message: string } {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  if (error instanceof ProviderError) {
    if (error.code === 'context_too_small') return { code: 'generation_failed', message: `The model's ${error.message}` };
    return providerFailure(error);
  }
  return { code: 'generation_failed', message: 'The minutes could not be generated' };
}

export function createMinutesService(deps: {
  config: Pick<Config, 'openai' | 'minutes'>;
  database: Database;
  jobs: JobQueue;
  storage: Storage;
  notifications: Notifications;
  meetings: MeetingsService;
  integrations: IntegrationsService;
  audit: AuditService;
}) {
  const { database, jobs, storage, notifications, meetings, audit, config } = deps;
  let sendAfterGeneration: SendAfterGeneration | undefined;

  async function requireOwned(userId: string, minutesId: string): Promise<MinutesRow> {
    const row = await findOwnedMinutes(database.db, userId, minutesId);
    if (!row) throw new AppError('not_found', 'Minutes not found');
    return row;
  }

  /**
   * Calls `isSettled` on the row now and after every notification (or poll) until it says
   * yes or `timeoutMs` passes; returns the last row read.
   */
  async function watch(minutesId: string, timeoutMs: number, isSettled: (row: MinutesRow) => boolean, onChange?: (row: MinutesRow) => void, signal?: AbortSignal) {
    let wake: () => void = () => undefined;
    const unsubscribe = await notifications.subscribe(minutesId, () => wake());
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        const row = (await findMinutes(database.db, minutesId))!;
        onChange?.(row);
        if (isSettled(row) || Date.now() >= deadline || signal?.aborted) return row;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(POLL_FALLBACK_MS, Math.max(0, deadline - Date.now())));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
          signal?.addEventListener('abort', () => wake(), { once: true });
        });
      }
    } finally {
      unsubscribe();
    }
  }

  async function markChanged(db: Db, minutesId: string) {
    await notifications.notify(db, minutesId);
  }

  /** Renders the PDF of `row` as it stands (its signers as signature lines) and stores it, under `key` when given. */
  async function renderPdf(row: MinutesRow, key?: string): Promise<{ key: string; sha: string; pdf: Buffer }> {
    const meeting = await meetings.requireMeeting(row.userId, row.meetingId);
    const language = row.language as MinutesLanguage;
    const words = wordingOf(language);
    const notes = ataNotes.safeParse(row.notes);
    const { date, time } = formatMeetingTime(meeting.startTime, language, row.timeZone);
    const signers = signatureLinesOf(row, notes.success ? notes.data : undefined);
    const isDraft = row.status === 'draft';
    const pdf = await renderMinutesPdf({
      organizationName: config.minutes.organizationName,
      title: meeting.topic,
      metadata: [
        { label: words.date, value: date },
        { label: words.time, value: time },
        { label: words.place, value: platformOf(meeting, language) },
        ...(notes.success && notes.data.presiding ? [{ label: words.presiding, value: notes.data.presiding }] : []),
        ...(notes.success && notes.data.secretary ? [{ label: words.secretary, value: notes.data.secretary }] : []),
      ],
      markdown: row.content,
      signers,
      labels: { ...pdfLabels[language], ...(row.isTest ? { draft: pdfLabels[language].test } : isDraft ? { draft: pdfLabels[language].draftMark } : {}) },
      contentSha256: row.contentSha256!,
      createdAt: row.finalizedAt ?? row.generatedAt ?? undefined,
    });
    const storedAt = key ?? `minutes/${row.id}/${row.contentSha256!.slice(0, 16)}-${isDraft ? 'draft' : 'final'}.pdf`;
    await storage.put(storedAt, pdf, { contentType: 'application/pdf' });
    return { key: storedAt, sha: sha256(pdf), pdf };
  }

  async function failGeneration(minutesId: string, error: unknown) {
    const failure = failureOf(error);
    await database.transaction(async ({ db }) => {
      const row = await lockMinutes(db, minutesId);
      if (row?.status !== 'generating') return;
      await updateMinutes(db, minutesId, { status: 'failed', errorCode: failure.code, errorMessage: failure.message, progress: null });
      await audit.record({ userId: row.userId, action: 'minutes.generation_failed', resourceType: 'minutes', resourceId: minutesId, details: { code: failure.code } }, db);
      await markChanged(db, minutesId);
    });
  }

  async function runGeneration(payload: z.infer<typeof generatePayload>, context: JobContext) {
    const row = await findMinutes(database.db, payload.minutesId);
    if (row?.status !== 'generating') return; // done already, or replaced: a retried job does nothing
    try {
      const meeting = await meetings.requireMeeting(row.userId, row.meetingId);
      const transcript = await latestTranscript(database.db, meeting.id);
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
          if (Date.now() - lastWrite < PROGRESS_WRITE_INTERVAL_MS && progress.stage === 'summarising' && progress.chunksDone < progress.chunksTotal) return;
          lastWrite = Date.now();
          void database
            .transaction(async ({ db }) => {
              await updateMinutes(db, row.id, { progress });
              await markChanged(db, row.id);
            })
            .catch((error: unknown) => context.log.warn({ err: error }, 'could not record progress'));
        },
      });
      const spoke = new Set(notes.attendees.map((attendee) => normalise(attendee.name)));
      const absent = participants
        .filter((person) => !person.joinedAt && !spoke.has(normalise(person.name ?? '')) && !spoke.has(normalise(person.email)))
        .map((person) => person.name ?? person.email);
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
      const generated = { ...row, status: 'draft' as const, content, notes, contentSha256: sha256(content) };
      const pdf = await renderPdf(generated);

      await database.transaction(async ({ db, client }) => {
        const current = await lockMinutes(db, row.id);
        if (current?.status !== 'generating') return;
        const version = await nextVersionNumber(db, row.id);
        await insertVersion(db, { minutesId: row.id, version, source: 'generated', content, notes, language, model: openai.model });
        await updateMinutes(db, row.id, {
          status: 'draft',
          content,
          notes,
          version,
          contentSha256: generated.contentSha256,
          pdfBlobKey: pdf.key,
          pdfSha256: pdf.sha,
          pdfContentSha256: generated.contentSha256,
          model: openai.model,
          usage: { ...usage, chunks },
          generatedAt: new Date(),
          progress: null,
          errorCode: null,
          errorMessage: null,
        });
        await audit.record({ userId: row.userId, action: 'minutes.generated', resourceType: 'minutes', resourceId: row.id, details: { version, chunks, model: openai.model } }, db);
        if (payload.send && sendAfterGeneration) {
          const finalized = await updateMinutes(db, row.id, { status: 'finalized', finalizedAt: new Date(), pdfBlobKey: null, pdfSha256: null, pdfContentSha256: null });
          await audit.record({ userId: row.userId, action: 'minutes.finalized', resourceType: 'minutes', resourceId: row.id, details: { contentSha256: finalized.contentSha256 } }, db);
          await jobs.enqueue(renderPdfJob, { minutesId: row.id }, { client });
          await sendAfterGeneration({ db, client }, finalized, payload.send.signers);
        }
        await markChanged(db, row.id);
      });
    } catch (error) {
      const retryable = error instanceof ProviderError && error.retryable;
      if (!retryable || context.isLastAttempt) {
        context.log.warn({ err: error, minutesId: row.id }, 'minutes generation failed');
        await failGeneration(row.id, error);
        return;
      }
      throw error;
    }
  }

  async function runRender(payload: z.infer<typeof renderPayload>) {
    const row = await findMinutes(database.db, payload.minutesId);
    if (!row?.contentSha256 || row.status === 'generating' || isPdfCurrent(row)) return;
    const pdf = await renderPdf(row);
    await database.transaction(async ({ db }) => {
      const current = await lockMinutes(db, row.id);
      // Edited or finalised again while rendering: the newer render job will store its own PDF.
      if (current?.contentSha256 !== row.contentSha256 || current.status !== row.status) return;
      await updateMinutes(db, row.id, { pdfBlobKey: pdf.key, pdfSha256: pdf.sha, pdfContentSha256: row.contentSha256 });
      await markChanged(db, row.id);
    });
  }

  const generateMinutesJob = defineJob({
    name: 'generate-minutes',
    payloadSchema: generatePayload,
    retryLimit: 3,
    retryDelaySec: 10,
    expireInSeconds: 60 * 60,
    handler: runGeneration,
  });
  const renderPdfJob = defineJob({ name: 'render-minutes-pdf', payloadSchema: renderPayload, retryLimit: 5, retryDelaySec: 5, handler: runRender });

  return {
    jobs: [generateMinutesJob, renderPdfJob],
    watch,
    renderPdf,
    /** How generated minutes with `includeSignature` are sent: set by the signatures module. */
    setSendAfterGeneration(send: SendAfterGeneration) {
      sendAfterGeneration = send;
    },

    /**
     * Starts a generation (a job) for the meeting: into its latest minutes while they are a
     * draft or failed (the earlier text stays a version), else into new minutes.
     * @throws AppError transcript_missing (409), generation_in_progress (409).
     */
    async requestGeneration(userId: string, meetingId: string, input: GenerateMinutesInput, idempotencyKey: string | undefined, context: RequestContext) {
      return runIdempotent(database.db, { userId, key: idempotencyKey, method: 'POST', path: `/v1/meetings/${meetingId}/minutes`, payload: input }, async () => {
        const meeting = await meetings.requireMeeting(userId, meetingId);
        if (!(await latestTranscript(database.db, meeting.id))) {
          throw new AppError('transcript_missing', 'This meeting has no transcript yet: wait for Zoom to deliver it or upload one at POST /v1/meetings/:id/transcript');
        }
        const minutesId = await database.transaction(async ({ db, client }) => {
          const latest = await latestMinutesOfMeeting(db, meeting.id);
          if (latest?.status === 'generating') {
            throw new AppError('generation_in_progress', 'These minutes are being generated already', { minutesId: latest.id });
          }
          const settings = { status: 'generating' as const, language: input.language, timeZone: input.timeZone, isTest: input.testMode, signers: input.signers ?? [], progress: null, errorCode: null, errorMessage: null };
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
      });
    },

    /** The minutes once generation ends, or as they are after `timeoutMs`. */
    async waitForGeneration(userId: string, minutesId: string, timeoutMs: number) {
      await requireOwned(userId, minutesId);
      return watch(minutesId, timeoutMs, (row) => row.status !== 'generating');
    },

    async listForMeeting(userId: string, meetingId: string) {
      const meeting = await meetings.requireMeeting(userId, meetingId);
      return { minutes: (await listMinutesOfMeeting(database.db, meeting.id)).map(toMinutesResponse) };
    },

    async details(userId: string, minutesId: string) {
      const row = await requireOwned(userId, minutesId);
      const meeting = await meetings.requireMeeting(userId, row.meetingId);
      const envelope = await latestEnvelopeOf(database.db, row.id);
      return {
        minutes: toMinutesResponse(row),
        meeting: toMeetingResponse(meeting),
        ...(envelope ? { envelope: toEnvelopeResponse(envelope) } : {}),
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
    async update(userId: string, minutesId: string, changes: UpdateMinutesInput, context: RequestContext) {
      await requireOwned(userId, minutesId);
      const updated = await database.transaction(async ({ db, client }) => {
        const row = (await lockMinutes(db, minutesId))!;
        if (row.status === 'generating') throw new AppError('generation_in_progress', 'Wait for the generation to finish before editing');
        if (row.status !== 'draft') {
          if (changes.content === undefined && changes.status === 'finalized' && row.status === 'finalized') return row;
          throw new AppError('minutes_frozen', `Minutes that are ${row.status.replace(/_/g, ' ')} cannot be changed`);
        }
        let next = row;
        if (changes.content !== undefined && changes.content !== row.content) {
          const version = await nextVersionNumber(db, row.id);
          await insertVersion(db, { minutesId: row.id, version, source: 'edited', content: changes.content, language: row.language, createdBy: userId });
          next = await updateMinutes(db, row.id, { content: changes.content, contentSha256: sha256(changes.content), version });
          await audit.record({ userId, action: 'minutes.edited', resourceType: 'minutes', resourceId: row.id, details: { version }, context }, db);
        }
        if (changes.status === 'finalized') {
          next = await updateMinutes(db, row.id, { status: 'finalized', finalizedAt: new Date(), pdfBlobKey: null, pdfSha256: null, pdfContentSha256: null });
          await audit.record({ userId, action: 'minutes.finalized', resourceType: 'minutes', resourceId: row.id, details: { contentSha256: next.contentSha256 }, context }, db);
        }
        if (next !== row) await jobs.enqueue(renderPdfJob, { minutesId: row.id }, { client });
        return next;
      });
      const settled = changes.status === 'finalized' ? await watch(minutesId, config.minutes.waitMs, isPdfCurrent) : updated;
      return { minutes: toMinutesResponse(settled) };
    },

    /**
     * The PDF of the current content.
     * @throws AppError pdf_not_ready (409, Retry-After) while it is being rendered.
     */
    async pdf(userId: string, minutesId: string): Promise<{ pdf: Buffer; fileName: string; sha256: string }> {
      const row = await requireOwned(userId, minutesId);
      if (!isPdfCurrent(row)) {
        if (row.contentSha256 && row.status !== 'generating') await jobs.enqueue(renderPdfJob, { minutesId: row.id }, { singletonKey: `${row.id}:${row.contentSha256}:${row.status}` });
        throw new AppError('pdf_not_ready', 'The PDF of these minutes is being rendered; try again shortly', undefined, { headers: { 'retry-after': '2' } });
      }
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

/** The people who sign: those named in the request, else the chair and the secretary the minutes name. */
function signatureLinesOf(row: MinutesRow, notes: AtaNotes | undefined): { name: string; email?: string; role?: string }[] {
  const requested = row.signers as SignerInput[];
  if (requested.length > 0) return requested.map((signer) => ({ name: signer.name ?? signer.email, email: signer.email }));
  const words = wordingOf(row.language as MinutesLanguage);
  return [
    ...(notes?.presiding ? [{ name: notes.presiding, role: words.presiding }] : []),
    ...(notes?.secretary ? [{ name: notes.secretary, role: words.secretary }] : []),
  ];
}

function platformOf(meeting: { zoomMeetingId: string | null }, language: MinutesLanguage): string {
  const zoom = { 'pt-BR': 'videoconferência (Zoom)', en: 'video conference (Zoom)', es: 'videoconferencia (Zoom)' };
  const other = { 'pt-BR': 'meio não informado', en: 'means not recorded', es: 'medio no informado' };
  return (meeting.zoomMeetingId ? zoom : other)[language];
}

const pdfLabels: Record<MinutesLanguage, { page: (n: number, total: number) => string; signatures: string; contentHash: string; draftMark: string; test: string }> = {
  'pt-BR': { page: (n, total) => `Página ${n} de ${total}`, signatures: 'Assinaturas', contentHash: 'SHA-256 do conteúdo', draftMark: 'RASCUNHO', test: 'TESTE' },
  en: { page: (n, total) => `Page ${n} of ${total}`, signatures: 'Signatures', contentHash: 'Content SHA-256', draftMark: 'DRAFT', test: 'TEST' },
  es: { page: (n, total) => `Página ${n} de ${total}`, signatures: 'Firmas', contentHash: 'SHA-256 del contenido', draftMark: 'BORRADOR', test: 'PRUEBA' },
};
