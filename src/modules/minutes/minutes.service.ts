import type { Config } from '../../config.js';
import { isUniqueViolation } from '../../db/errors.js';
import { parseLanguage } from '../../i18n/languages.js';
import type { AnyJobDefinition } from '../../jobs/job.js';
import { requireCollaborators } from '../../lib/collaborators.js';
import { sha256Hex } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { runIdempotent } from '../../db/idempotency.js';
import type { RequestContext } from '../../lib/request-context.js';
import type { Storage } from '../../lib/storage.js';
import { toMeetingResponse } from '../meetings/meetings.responses.js';
import type { SignaturesService } from '../signatures/signatures.service.js';
import type { EnvelopeResponse } from '../signatures/signatures.responses.js';
import { isPdfCurrent } from './minutes.document.js';
import { createMinutesJobs, type MinutesJobsDeps } from './minutes.jobs.js';
import type { GenerationProgress } from './minutes.generator.js';
import { actionItemsCalendar } from './minutes.calendar.js';
import { storedMinutesRecord, type ActionItem } from './minutes.record.js';
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
  type MinutesVersionRow,
} from './minutes.repo.js';
import type { GenerateMinutesInput, SignerInput, UpdateMinutesInput } from './minutes.schemas.js';
import type { MinutesSettings } from '../meetings/meeting-settings.js';

export function toMinutesResponse(row: MinutesRow) {
  const structured = storedMinutesRecord.safeParse(row.notes);
  return {
    id: row.id,
    meetingId: row.meetingId,
    userId: row.userId,
    status: row.status,
    content: row.content,
    structured: structured.success ? structured.data : null,
    language: parseLanguage(row.language),
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

export type MinutesResponse = ReturnType<typeof toMinutesResponse>;

/** Generating, editing, finalising and reading minutes; the signatures module sends them. */
export interface MinutesService {
  jobs: AnyJobDefinition[];
  schedules: { job: AnyJobDefinition; cron: string }[];
  /** The row after every change until `isSettled` (or `timeoutMs`, or `signal`); `onChange` sees each read. */
  watch(minutesId: string, isSettled: (row: MinutesRow) => boolean, options: { timeoutMs: number; signal?: AbortSignal; onChange?: (row: MinutesRow) => void }): Promise<MinutesRow>;
  /**
   * Starts a generation (a job) for the meeting: into its latest minutes while they are a
   * draft or failed (the earlier text stays a version), else into new minutes.
   * @throws AppError transcript_missing (409), generation_in_progress (409).
   */
  requestGeneration(
    userId: string,
    meetingId: string,
    input: GenerateMinutesInput,
    idempotencyKey: string | undefined,
    context: RequestContext,
  ): Promise<{ status: number; replayed: boolean; body: { minutesId: string } }>;
  /**
   * The minutes once generated and their PDF rendered, or as they are after `timeoutMs` (or
   * when `signal` aborts: the server is stopping).
   */
  waitForGeneration(userId: string, minutesId: string, timeoutMs: number, signal?: AbortSignal): Promise<MinutesRow>;
  listForMeeting(userId: string, meetingId: string): Promise<{ minutes: MinutesResponse[] }>;
  /** The minutes with their meeting, their latest envelope and the hashes that chain content, sent PDF and signed PDF. */
  details(userId: string, minutesId: string): Promise<MinutesDetails>;
  /**
   * Edits a draft's content (kept as a version) or finalises it: the content freezes and the
   * final PDF is rendered by a job; the answer waits for that PDF up to MINUTES_WAIT_MS.
   * @throws AppError minutes_frozen (409) for edits after finalisation.
   */
  update(userId: string, minutesId: string, changes: UpdateMinutesInput, context: RequestContext, signal?: AbortSignal): Promise<{ minutes: MinutesResponse }>;
  /**
   * The PDF of the current content.
   * @throws AppError pdf_not_ready (409, Retry-After) while it is being rendered; not_found before there is content.
   */
  pdf(userId: string, minutesId: string): Promise<{ pdf: Buffer; fileName: string; sha256: string }>;
  versions(userId: string, minutesId: string): Promise<{ versions: MinutesVersionResponse[] }>;
  /**
   * The action items of the generated minutes: owner matched to a participant, due date resolved.
   * @throws AppError not_found before there is content.
   */
  actionItems(userId: string, minutesId: string): Promise<{ minutesId: string; actionItems: ActionItem[] }>;
  /**
   * The action items as an iCalendar file, one VTODO each.
   * @throws AppError not_found before there is content.
   */
  actionItemsCalendar(userId: string, minutesId: string): Promise<{ calendar: string; fileName: string }>;
}

type MinutesDetails = {
  minutes: MinutesResponse;
  meeting: ReturnType<typeof toMeetingResponse>;
  envelope?: EnvelopeResponse;
  documentChain: { contentSha256: string | null; sentPdfSha256: string | null; signedPdfSha256: string | null; certificateSha256: string | null };
};

type MinutesVersionResponse = Pick<MinutesVersionRow, 'version' | 'source' | 'content' | 'language' | 'model'> & { createdAt: string };

export interface MinutesServiceDeps extends Omit<MinutesJobsDeps, 'config' | 'signatures'> {
  config: Pick<Config, 'openai' | 'minutes'>;
  storage: Storage;
  signatures: Pick<SignaturesService, 'sendGenerated' | 'latestEnvelopeOf'>;
}

export function createMinutesService(deps: MinutesServiceDeps): MinutesService {
  requireCollaborators('createMinutesService', deps, ['signatures', 'rendering', 'meetings', 'transcripts', 'integrations']);
  const { database, jobs, storage, notifications, meetings, audit, config, rendering, signatures } = deps;
  const background = createMinutesJobs(deps);
  const { generateMinutesJob } = background;
  const { renderPdfJob } = rendering;

  async function requireOwned(userId: string, minutesId: string): Promise<MinutesRow> {
    const row = await findOwnedMinutes(database.db, userId, minutesId);
    if (!row) throw new AppError('not_found', 'Minutes not found');
    return row;
  }

  /** Owned minutes that have their record: generated at least once. */
  async function requireRecord(userId: string, minutesId: string) {
    const row = await requireOwned(userId, minutesId);
    const record = storedMinutesRecord.safeParse(row.notes);
    if (!record.success) throw new AppError('not_found', 'These minutes have no content yet, so no action items');
    return { row, record: record.data };
  }

  /** The row after every change until `isSettled` (or `timeoutMs`, or `signal`); `onChange` sees each read. */
  function watch(minutesId: string, isSettled: (row: MinutesRow) => boolean, options: { timeoutMs: number; signal?: AbortSignal; onChange?: (row: MinutesRow) => void }) {
    return notifications.waitFor(minutesId, async () => (await findMinutes(database.db, minutesId))!, isSettled, { ...options, onValue: options.onChange });
  }

  return {
    jobs: [...background.definitions, renderPdfJob],
    schedules: background.schedules,
    watch,

    async requestGeneration(userId, meetingId, input, idempotencyKey, context) {
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
            const generation = {
              status: 'generating' as const,
              settings: settingsOf(input),
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
                ? await updateMinutes(db, latest.id, generation)
                : await insertMinutes(db, { meetingId: meeting.id, userId, content: '', generatedAt: null, ...generation });
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

    async waitForGeneration(userId, minutesId, timeoutMs, signal) {
      await requireOwned(userId, minutesId);
      return watch(minutesId, (row) => row.status !== 'generating' && (Boolean(row.errorCode) || isPdfCurrent(row)), { timeoutMs, signal });
    },

    async listForMeeting(userId, meetingId) {
      const meeting = await meetings.requireMeeting(userId, meetingId);
      return { minutes: (await listMinutesOfMeeting(database.db, meeting.id)).map(toMinutesResponse) };
    },

    async details(userId, minutesId) {
      const row = await requireOwned(userId, minutesId);
      const meeting = await meetings.requireMeeting(userId, row.meetingId);
      const envelope = await signatures.latestEnvelopeOf(row.id);
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

    async update(userId, minutesId, changes, context, signal) {
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

    async pdf(userId, minutesId) {
      const row = await requireOwned(userId, minutesId);
      if (!row.contentSha256) throw new AppError('not_found', 'These minutes have no content yet, so no PDF');
      if (!isPdfCurrent(row)) throw new AppError('pdf_not_ready', 'The PDF of these minutes is being rendered; try again shortly', undefined, { headers: { 'retry-after': '2' } });
      return { pdf: await storage.get(row.pdfBlobKey!), fileName: `ata-${row.id}.pdf`, sha256: row.pdfSha256! };
    },

    async actionItems(userId, minutesId) {
      const { row, record } = await requireRecord(userId, minutesId);
      return { minutesId: row.id, actionItems: record.actionItems };
    },

    async actionItemsCalendar(userId, minutesId) {
      const { row, record } = await requireRecord(userId, minutesId);
      const calendar = actionItemsCalendar(record.actionItems, { minutesId: row.id, title: record.title, generatedAt: row.generatedAt ?? row.updatedAt, language: parseLanguage(row.language) });
      return { calendar, fileName: `ata-${row.id}-action-items.ics` };
    },

    async versions(userId, minutesId) {
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

/** The request's own settings for this ata (minutes_settings), stored for its generation. */
function settingsOf(input: GenerateMinutesInput): MinutesSettings {
  const { kind, agenda, members, quorum, chair, secretary } = input;
  return Object.fromEntries(Object.entries({ kind, agenda, members, quorum, chair, secretary }).filter(([, value]) => value !== undefined));
}
