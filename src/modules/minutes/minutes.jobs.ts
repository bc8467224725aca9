import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import type { Notifications } from '../../db/notifications.js';
import { defineJob, retryOrRecordFailure, type JobContext } from '../../jobs/job.js';
import type { JobQueue } from '../../jobs/queue.js';
import { sha256Hex } from '../../lib/crypto.js';
import { failureOf } from '../../failures.js';
import { parseLanguage } from '../../i18n/languages.js';
import { AppError } from '../../lib/errors.js';
import { ProviderError } from '../../providers/provider-error.js';
import type { AuditService } from '../audit/audit.service.js';
import type { IntegrationsService } from '../integrations/integrations.service.js';
import type { EventsService } from '../events/events.service.js';
import type { MeetingsService } from '../meetings/meetings.service.js';
import type { SignaturesService } from '../signatures/signatures.service.js';
import type { TranscriptsService } from '../transcripts/transcripts.service.js';
import type { TranscriptTurn } from '../transcripts/transcript.parse.js';
import { platformOf } from './minutes.document.js';
import { generateMinutesNotes } from './minutes.generator.js';
import { buildMinutesRecord, effectiveSettings } from './minutes.record-builder.js';
import type { MinutesRendering } from './minutes.rendering.js';
import type { MinutesWorkers } from './minutes.worker-pool.js';
import { findMinutes, insertVersion, lockMinutes, stalledGenerations, updateMinutes, updateProgress, type MinutesRow } from './minutes.repo.js';
import { renderMinutesMarkdown } from './minutes.template.js';


/** Progress is written at most this often while the model streams: the row is not a log. */
const PROGRESS_WRITE_INTERVAL_MS = 500;
/** A generation whose row nothing has touched for this long is failed: its worker died or hung. */
const STALLED_AFTER_MS = 15 * 60 * 1000;

export const generatePayload = z.object({
  minutesId: z.uuid(),
  send: z.object({ signers: z.array(z.object({ email: z.string(), name: z.string().optional() })).min(1) }).optional(),
});

/** What a failed generation tells the user: a stable code and a message without provider words. */
function generationFailureOf(error: unknown) {
  if (error instanceof ProviderError && ['output_truncated', 'context_length_exceeded', 'context_too_small'].includes(error.code)) {
    return { code: 'generation_failed', message: "The meeting did not fit in the model's context or output, even in smaller parts (see OPENAI_CONTEXT_TOKENS and OPENAI_MAX_TOKENS)" };
  }
  return failureOf(error, { code: 'generation_failed', message: 'The minutes could not be generated' });
}

export interface MinutesJobsDeps {
  config: Pick<Config, 'openai'>;
  database: Database;
  jobs: JobQueue;
  /** Worker threads for token counts. */
  minutesWorkers: MinutesWorkers;
  notifications: Notifications;
  events: Pick<EventsService, 'publish'>;
  meetings: MeetingsService;
  transcripts: Pick<TranscriptsService, 'latestOf'>;
  integrations: IntegrationsService;
  audit: AuditService;
  rendering: MinutesRendering;
  /** Minutes generated with `includeSignature` go out for signature in the transaction that stores them. */
  signatures: Pick<SignaturesService, 'sendGenerated'>;
  /** This instance's metrics: how long each generation its workers ran took. */
  metrics: { recordGeneration(outcome: 'succeeded' | 'failed', durationSec: number): void };
}

/**
 * The minutes' generation: model, chunks, merge and template in a job, and failing generations
 * that stopped making progress.
 */
export function createMinutesJobs(deps: MinutesJobsDeps) {
  const { database, jobs, notifications, events, meetings, audit, config, rendering } = deps;

  /** Minutes that had content go back to it (a failed regeneration loses nothing); the error stays visible. */
  async function failGeneration(minutesId: string, error: unknown) {
    const failure = generationFailureOf(error);
    await database.transaction(async ({ db, client }) => {
      const row = await lockMinutes(db, minutesId);
      if (row?.status !== 'generating') return;
      await updateMinutes(db, minutesId, { status: row.version > 0 ? 'draft' : 'failed', errorCode: failure.code, errorMessage: failure.message, progress: null });
      await audit.record({ userId: row.userId, action: 'minutes.generation_failed', resourceType: 'minutes', resourceId: minutesId, details: { code: failure.code } }, db);
      await events.publish({ db, client }, row.userId, 'minutes.failed', { minutesId, meetingId: row.meetingId, code: failure.code, message: failure.message });
      await notifications.notify(db, minutesId);
    });
  }

  async function writeContent(row: MinutesRow, send: z.infer<typeof generatePayload>['send'], generated: { content: string; notes: unknown; model: string; usage: unknown }) {
    await database.transaction(async ({ db, client }) => {
      const current = await lockMinutes(db, row.id);
      if (current?.status !== 'generating') return;
      // The row is locked: its version is the latest one stored.
      const version = current.version + 1;
      const contentSha256 = sha256Hex(generated.content);
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
      if (send) {
        stored = await updateMinutes(db, row.id, { status: 'finalized', finalizedAt: new Date() });
        await audit.record({ userId: row.userId, action: 'minutes.finalized', resourceType: 'minutes', resourceId: row.id, details: { contentSha256 } }, db);
        await deps.signatures.sendGenerated({ db, client }, stored, send.signers);
      }
      await jobs.enqueue(rendering.renderPdfJob, { minutesId: row.id }, { client });
      await events.publish({ db, client }, row.userId, 'minutes.ready', { minutesId: row.id, meetingId: row.meetingId, status: stored.status, version });
      await notifications.notify(db, row.id);
    });
  }

  async function runGeneration(payload: z.infer<typeof generatePayload>, context: JobContext) {
    const startedAt = performance.now();
    const elapsedSec = () => (performance.now() - startedAt) / 1000;
    try {
      const row = await findMinutes(database.db, payload.minutesId);
      if (row?.status !== 'generating') return; // done already, or replaced: a retried job does nothing
      const meeting = await meetings.requireMeeting(row.userId, row.meetingId);
      const transcript = await deps.transcripts.latestOf(meeting.id);
      if (!transcript) throw new AppError('transcript_missing', 'This meeting has no transcript');
      const turns = (transcript.turns as TranscriptTurn[]).map((turn, index) => ({ ...turn, index }));
      const invitees = await meetings.participantsOf(meeting.id);
      const settings = effectiveSettings(meeting, row.settings);
      const language = parseLanguage(row.language);
      const openai = await deps.integrations.openaiFor(row.userId);

      let lastWrite = 0;
      const { notes, usage, chunks } = await generateMinutesNotes({
        openai,
        chunker: deps.minutesWorkers,
        contextTokens: config.openai.contextTokens,
        facts: { topic: meeting.topic, startTime: meeting.startTime.toISOString(), platform: platformOf(meeting, 'en'), invited: invitees, agenda: settings.agenda },
        turns,
        language,
        onProgress: (progress) => {
          const isMilestone = progress.stage === 'merging' || progress.chunksDone === progress.chunksTotal;
          if (!isMilestone && Date.now() - lastWrite < PROGRESS_WRITE_INTERVAL_MS) return;
          lastWrite = Date.now();
          void database
            .transaction(async ({ db, client }) => {
              if (!(await updateProgress(db, row.id, progress))) return;
              await events.publish({ db, client }, row.userId, 'minutes.progress', { minutesId: row.id, meetingId: row.meetingId, progress });
              await notifications.notify(db, row.id);
            })
            .catch((error: unknown) => context.log.warn({ err: error }, 'could not record progress'));
        },
      });
      const record = buildMinutesRecord({ notes, settings, invitees, turns, startTime: meeting.startTime, timeZone: row.timeZone });
      const content = renderMinutesMarkdown(
        record,
        { topic: meeting.topic, startTime: meeting.startTime, durationMinutes: meeting.duration, platform: platformOf(meeting, language), timeZone: row.timeZone },
        language,
      );
      await writeContent(row, payload.send, { content, notes: record, model: openai.model, usage: { ...usage, chunks } });
      deps.metrics.recordGeneration('succeeded', elapsedSec());
    } catch (error) {
      // Failed once the failure is final (not retried): a generation counts once, as in the audit log.
      await retryOrRecordFailure(error, context, async () => {
        deps.metrics.recordGeneration('failed', elapsedSec());
        await failGeneration(payload.minutesId, error);
      });
    }
  }

  async function failStalledGenerations() {
    for (const row of await stalledGenerations(database.db, new Date(Date.now() - STALLED_AFTER_MS))) {
      await failGeneration(row.id, new AppError('generation_failed', 'The generation stopped making progress; try again'));
    }
  }

  // The SDK already retried 429/5xx a few times: one more attempt, later, is enough.
  // A generation waits minutes on the model: four loops of two, so one long meeting never holds the others.
  const generateMinutesJob = defineJob({ name: 'generate-minutes', payloadSchema: generatePayload, retryLimit: 1, retryDelaySec: 60, expireInSeconds: 60 * 60, workers: 4, batchSize: 2, handler: runGeneration });
  const stalledGenerationsJob = defineJob({ name: 'fail-stalled-generations', payloadSchema: z.object({}).passthrough(), retryLimit: 0, batchSize: 2, handler: failStalledGenerations });

  return {
    definitions: [generateMinutesJob, stalledGenerationsJob],
    schedules: [{ job: stalledGenerationsJob, cron: '* * * * *' }],
    generateMinutesJob,
  };
}
