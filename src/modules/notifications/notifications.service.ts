import { z } from 'zod';
import { deleteInBatches } from '../../db/batches.js';
import type { Database, Transaction } from '../../db/client.js';
import { emailKinds, generationFailures, type EmailKind, type GenerationFailure } from '../../i18n/email-kinds.js';
import { catalogOf, parseLanguage } from '../../i18n/languages.js';
import { defineJob, type AnyJobDefinition, type JobContext } from '../../jobs/job.js';
import type { JobQueue } from '../../jobs/queue.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { MailError, type Mailer, type MailMessage } from '../../providers/mail/mail.transport.js';
import type { PublishedEvent } from '../events/events.service.js';
import type { Storage } from '../../lib/storage.js';
import type { EmailLinks, UnsubscribeTarget } from './notifications.links.js';
import {
  deleteEmailsFinishedBefore,
  envelopeEndOf,
  findEmail,
  insertEmails,
  insertUnsubscribe,
  listEmailsForAdmin,
  minutesFactsOf,
  signedPdfOf,
  participantsOf,
  preferencesOf,
  unsubscribedAmong,
  updateEmail,
  updatePreferences,
  userIdByEmail,
  type OutboundEmailFilter,
  type OutboundEmailRow,
  type OutboundEmailSummary,
} from './notifications.repo.js';
import { renderEmail, type EmailArguments, type EmailBaseFacts } from './notifications.templates.js';

export type EmailPreferences = Record<EmailKind, boolean>;

/**
 * E-mail notifications: the e-mails an event causes are written in that event's transaction (one
 * per event and recipient: a retried job, or the event applied again, sends nothing twice), then
 * sent by a job, retried with backoff on a temporary SMTP failure, recorded as failed on a refusal.
 */
export interface NotificationsService {
  /** The events' subscriber: the e-mails `event` causes, and their jobs, in its transaction. */
  enqueue(tx: Transaction, event: PublishedEvent): Promise<void>;
  preferences(userId: string): Promise<EmailPreferences>;
  updatePreferences(userId: string, changes: Partial<EmailPreferences>): Promise<EmailPreferences>;
  /**
   * What an unsubscribe link stops, without stopping it (the page a click opens).
   * @throws AppError link_invalid
   */
  unsubscribeTarget(token: string): Promise<UnsubscribeTarget>;
  /**
   * Stops one kind of e-mail to the link's address: the user's setting when it is a user's, else a
   * suppression of that address. Doing it twice is harmless.
   * @throws AppError link_invalid
   */
  unsubscribe(token: string): Promise<UnsubscribeTarget>;
  /**
   * The signed PDF an e-mail's download link names, while the link lasts.
   * @throws AppError link_invalid, link_expired, not_found
   */
  signedAta(token: string): Promise<{ pdf: Buffer; sha256: string; fileName: string }>;
  /** One page of e-mails, newest first, and how many match, as operators see them: state and recipient, not what they said. */
  listEmails(filter: OutboundEmailFilter): Promise<{ emails: OutboundEmailSummary[]; total: number }>;
  /** Deletes the e-mails sent or failed over `retentionDays` before `now`, in batches; returns how many. */
  deleteFinished(now?: Date): Promise<number>;
  jobs: AnyJobDefinition[];
  /** The clean-up of finished e-mails, hourly. */
  schedules: { job: AnyJobDefinition; cron: string }[];
}

export interface NotificationsServiceDeps {
  database: Database;
  jobs: JobQueue;
  mailer: Pick<Mailer, 'status' | 'send'>;
  links: EmailLinks;
  /** Where the signed PDFs are. */
  storage: Pick<Storage, 'get'>;
  organizationName: string;
  /** The signed ata goes attached up to this size, else as a download link. */
  attachmentMaxBytes: number;
  /** A temporary failure is tried again after this, doubling (MAIL_RETRY_DELAY_SEC). */
  retryDelaySec: number;
  /** Sent and failed e-mails are kept this long (EMAIL_RETENTION_DAYS). */
  retentionDays: number;
  log: Logger;
}

const everyKindOn = Object.fromEntries(emailKinds.map((kind) => [kind, true])) as EmailPreferences;
const preferencesWith = (stored: Partial<EmailPreferences> | undefined): EmailPreferences => ({ ...everyKindOn, ...stored });

/** What an outbound e-mail row keeps besides its recipient: the meeting as it was, and the kind's own facts. */
const storedFacts = z.object({
  minutesId: z.uuid(),
  topic: z.string(),
  startTime: z.iso.datetime({ offset: true }),
  timeZone: z.string(),
  reason: z.string().nullable().optional(),
  failure: z.enum(generationFailures).optional(),
  signerName: z.string().optional(),
});
type StoredFacts = z.infer<typeof storedFacts>;

const sendPayload = z.object({ emailId: z.uuid() });

export function createNotificationsService(deps: NotificationsServiceDeps): NotificationsService {
  const { database, jobs, mailer, links } = deps;

  const sendEmailJob = defineJob({
    name: 'send-email',
    payloadSchema: sendPayload,
    // A temporary refusal or a server away: 5 more tries, over about 5 minutes at the default 10 s doubling.
    retryLimit: 5,
    retryDelaySec: deps.retryDelaySec,
    workers: 2,
    batchSize: 5,
    handler: (payload, context) => send(payload.emailId, context),
  });

  /** The e-mails of one kind about one minutes, to the owner and/or others; skipped for those who turned it off. */
  async function write(tx: Transaction, event: PublishedEvent, kind: EmailKind, minutesId: string, extra: Pick<StoredFacts, 'reason' | 'failure' | 'signerName'> = {}) {
    const minutes = await minutesFactsOf(tx.db, minutesId);
    if (!minutes) return;
    const recipients =
      kind === 'signed_ata'
        ? (await participantsOf(tx.db, minutes.meetingId)).map((person) => ({ email: person.email, name: person.name }))
        : [{ email: minutes.owner.email, name: minutes.owner.name }];
    // A recipient with an account may have turned the kind off in its settings; anyone may have by a link.
    const unsubscribed = await unsubscribedAmong(tx.db, recipients.map((recipient) => recipient.email), kind);
    const facts: StoredFacts = { minutesId, topic: minutes.topic, startTime: minutes.startTime.toISOString(), timeZone: minutes.timeZone, ...extra };
    const rows = await insertEmails(
      tx.db,
      recipients
        .filter((recipient) => !unsubscribed.has(recipient.email))
        .map((recipient) => ({ userId: minutes.owner.id, kind, eventId: event.id, recipient: recipient.email, recipientName: recipient.name, language: minutes.language, facts })),
    );
    await jobs.enqueueMany(sendEmailJob, rows.map((row) => ({ emailId: row.id })), { client: tx.client });
  }

  async function enqueue(tx: Transaction, event: PublishedEvent) {
    if (mailer.status === 'not_configured') return;
    const data = event.data as { minutesId?: string; envelopeId?: string | null; status?: string; code?: string; message?: string };
    if (!data.minutesId) return;
    switch (event.type) {
      case 'minutes.ready':
        return write(tx, event, 'minutes_ready', data.minutesId);
      case 'minutes.failed':
        return write(tx, event, 'minutes_failed', data.minutesId, { failure: generationFailureOf(data.code, data.message) });
      case 'envelope.documents_stored':
        return write(tx, event, 'signed_ata', data.minutesId);
      case 'envelope.status_changed': {
        if (data.status === 'completed') return write(tx, event, 'envelope_completed', data.minutesId);
        if (data.status !== 'declined' && data.status !== 'voided') return;
        const end = data.envelopeId ? await envelopeEndOf(tx.db, data.envelopeId) : undefined;
        return data.status === 'declined'
          ? write(tx, event, 'signer_declined', data.minutesId, { signerName: end?.declinedBy ?? '', reason: end?.declineReason ?? null })
          : write(tx, event, 'envelope_voided', data.minutesId, { reason: end?.voidedReason ?? null });
      }
      default:
        return;
    }
  }

  /** The message of a stored e-mail, in its language, with its links (and the signed PDF when it fits). */
  async function messageOf(row: OutboundEmailRow): Promise<MailMessage> {
    const facts = storedFacts.parse(row.facts);
    const language = parseLanguage(row.language);
    const unsubscribeUrl = await links.unsubscribeUrl({ email: row.recipient, kind: row.kind, language });
    const preferencesUrl = links.preferencesUrl();
    const base: EmailBaseFacts = {
      recipientName: row.recipientName,
      organizationName: deps.organizationName,
      topic: facts.topic,
      meetingDate: new Date(facts.startTime),
      timeZone: facts.timeZone,
      unsubscribeUrl,
      ...(preferencesUrl && row.kind !== 'signed_ata' ? { preferencesUrl } : {}),
    };
    const minutesUrl = links.minutesUrl(facts.minutesId);
    const attachments: NonNullable<MailMessage['attachments']> = [];
    let email: EmailArguments;
    switch (row.kind) {
      case 'minutes_ready':
        email = ['minutes_ready', language, { ...base, minutesUrl }];
        break;
      case 'minutes_failed':
        email = ['minutes_failed', language, { ...base, minutesUrl, reason: catalogOf(language).email.kinds.minutes_failed.failures[facts.failure ?? 'other'] }];
        break;
      case 'signer_declined':
        email = ['signer_declined', language, { ...base, minutesUrl, signerName: facts.signerName ?? '', reason: facts.reason ?? null }];
        break;
      case 'envelope_voided':
        email = ['envelope_voided', language, { ...base, minutesUrl, reason: facts.reason ?? null }];
        break;
      case 'envelope_completed': {
        const { url } = await links.signedAtaUrl({ minutesId: facts.minutesId, userId: row.userId });
        email = ['envelope_completed', language, { ...base, minutesUrl, signedPdfUrl: url }];
        break;
      }
      case 'signed_ata': {
        const { pdf } = await signedPdf(facts.minutesId);
        if (pdf.length <= deps.attachmentMaxBytes) {
          attachments.push({ filename: signedFileName(facts.minutesId), content: pdf, contentType: 'application/pdf' });
          email = ['signed_ata', language, { ...base, delivery: { attached: true } }];
        } else {
          const { url, expiresAt } = await links.signedAtaUrl({ minutesId: facts.minutesId, userId: row.userId });
          email = ['signed_ata', language, { ...base, delivery: { attached: false, downloadUrl: url, expiresAt } }];
        }
        break;
      }
    }
    const rendered = renderEmail(...email);
    return {
      to: row.recipientName ? `"${row.recipientName.replace(/["\\\r\n]/g, '')}" <${row.recipient}>` : row.recipient,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      headers: {
        // RFC 2369 and RFC 8058: the mail client's own "unsubscribe" button, one click, no login.
        'List-Unsubscribe': `<${unsubscribeUrl}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        // The same id however often it is sent: a receiver can tell a resend after a crash from a new message.
        'Message-ID': `<${row.id}@atas>`,
      },
      attachments,
    };
  }

  async function send(emailId: string, context: JobContext) {
    const row = await findEmail(database.db, emailId);
    if (row?.status !== 'pending') return; // sent already, or failed for good: a job run again sends nothing
    const attempts = row.attempts + 1;
    try {
      const sent = await mailer.send(await messageOf(row));
      await updateEmail(database.db, row.id, { status: 'sent', attempts, smtpMessageId: sent.messageId, sentAt: new Date(), errorCode: null, errorMessage: null });
    } catch (error) {
      // A refusal, or a link that names nothing (the minutes were deleted), will not change; anything else (the storage away) may.
      const isTemporary = error instanceof MailError ? !error.permanent : !(error instanceof AppError);
      const failure = failureOf(error);
      await updateEmail(database.db, row.id, { attempts, ...failure, ...(isTemporary && !context.isLastAttempt ? {} : { status: 'failed' as const }) });
      if (isTemporary && !context.isLastAttempt) throw error;
      context.log.warn({ emailId, code: failure.errorCode }, 'e-mail not sent');
    }
  }

  // The signed PDF last read: an envelope's completion sends the same one to every participant. A
  // stored signed PDF never changes (a new envelope stores a new key), so what is kept stays true.
  let lastSignedPdf: { key: string; pdf: Promise<Buffer> } | undefined;

  /** @throws AppError not_found while the minutes have no signed PDF (or no longer have one). */
  async function signedPdf(minutesId: string) {
    const stored = await signedPdfOf(database.db, minutesId);
    if (!stored) throw new AppError('not_found', 'These minutes have no signed PDF');
    if (lastSignedPdf?.key !== stored.key) {
      const pdf = deps.storage.get(stored.key);
      lastSignedPdf = { key: stored.key, pdf };
      // A failed read is not kept: the next e-mail reads again.
      pdf.catch(() => {
        if (lastSignedPdf?.pdf === pdf) lastSignedPdf = undefined;
      });
    }
    return { pdf: await lastSignedPdf.pdf, sha256: stored.sha256 };
  }

  async function deleteFinished(now = new Date()) {
    const cutoff = new Date(now.getTime() - deps.retentionDays * 86_400_000);
    const deleted = await deleteInBatches((limit) => deleteEmailsFinishedBefore(database.db, cutoff, limit));
    if (deleted > 0) deps.log.info({ deleted }, 'finished e-mails deleted');
    return deleted;
  }
  const cleanupJob = defineJob({ name: 'delete-finished-emails', payloadSchema: z.object({}).passthrough(), retryLimit: 0, handler: async () => void (await deleteFinished()) });

  return {
    jobs: [sendEmailJob, cleanupJob],
    schedules: [{ job: cleanupJob, cron: '47 * * * *' }],
    deleteFinished,
    listEmails: (filter) => listEmailsForAdmin(database.db, filter),
    enqueue,
    preferences: async (userId) => preferencesWith(await preferencesOf(database.db, userId)),
    async updatePreferences(userId, changes) {
      return preferencesWith(await updatePreferences(database.db, userId, changes));
    },
    unsubscribeTarget: (token) => links.verifyUnsubscribe(token),
    async unsubscribe(token) {
      const target = await links.verifyUnsubscribe(token);
      const userId = await userIdByEmail(database.db, target.email);
      if (userId) await updatePreferences(database.db, userId, { [target.kind]: false });
      else await insertUnsubscribe(database.db, target.email, target.kind);
      return target;
    },
    async signedAta(token) {
      const { minutesId } = await links.verifySignedAta(token);
      return { ...(await signedPdf(minutesId)), fileName: signedFileName(minutesId) };
    },
  };
}

/**
 * A failed generation's code (and, for generation_failed, its message) as the failure an e-mail
 * words in the recipient's language: the message itself is English.
 */
function generationFailureOf(code: string | undefined, message: string | undefined): GenerationFailure {
  if (code === 'content_refused') return 'refused';
  if (code === 'integration_invalid' || code === 'integration_not_configured' || code === 'consent_required') return 'credentials';
  if (code?.startsWith('provider_')) return 'provider';
  if (code === 'generation_failed' && message?.includes("model's context")) return 'too_long';
  if (code === 'generation_failed' && message?.includes('stopped making progress')) return 'stalled';
  return 'other';
}

const signedFileName = (minutesId: string) => `ata-${minutesId}-assinada.pdf`;

/** What the row records of a failure: a refusal's SMTP code and reply, never more of the error. */
function failureOf(error: unknown): { errorCode: string; errorMessage: string } {
  if (error instanceof MailError) {
    const code = error.permanent ? 'smtp_refused' : 'smtp_temporary';
    return { errorCode: error.responseCode ? `${code}_${error.responseCode}` : code, errorMessage: error.response ?? error.message };
  }
  if (error instanceof AppError) return { errorCode: error.code, errorMessage: error.message };
  return { errorCode: 'internal_error', errorMessage: 'The e-mail could not be prepared' };
}
