import { sql, type AnyColumn } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  inet,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { emailKinds, type EmailKind } from '../i18n/email-kinds.js';
import { meetingKinds, type MeetingKind } from '../i18n/meeting-kinds.js';
import type { Member, MinutesSettings, QuorumRule } from '../modules/meetings/meeting-settings.js';

/**
 * The spec's nine tables (timestamps as timestamptz, its indexes as real indexes, its
 * ON DELETE rules) plus sessions, refresh tokens, transcripts and idempotency keys.
 * Status columns are limited to their allowed values by CHECK constraints.
 */

const id = () => uuid('id').primaryKey().defaultRandom();
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () =>
  timestamp('updated_at', { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());
const at = (name: string) => timestamp(name, { withTimezone: true });

/** Builds `CHECK (column IN (...))` from a tuple of allowed values. */
function allowedValues(name: string, column: AnyColumn, values: readonly string[]) {
  return check(name, sql`${column} IN (${sql.raw(values.map((value) => `'${value}'`).join(', '))})`);
}

export const userRoles = ['user', 'admin'] as const;
export const meetingStatuses = ['scheduled', 'in_progress', 'completed', 'cancelled'] as const;
export const participantRoles = ['host', 'co-host', 'participant'] as const;
export const minutesStatuses = [
  'generating',
  'failed',
  'draft',
  'finalized',
  'sent_for_signature',
  'signed',
  'declined',
  'voided',
] as const;
export const envelopeStatuses = ['created', 'sent', 'delivered', 'completed', 'declined', 'voided', 'failed'] as const;
export const signerStatuses = ['created', 'sent', 'delivered', 'signed', 'declined'] as const;
export const minutesVersionSources = ['generated', 'edited'] as const;
export const integrationProviders = ['zoom', 'docusign', 'openai'] as const;
export const webhookProviders = ['zoom', 'docusign'] as const;
export const webhookDeliveryStatuses = ['pending', 'delivered', 'failed'] as const;
export const userEventTypes = [
  'meeting.status_changed',
  'transcript.ready',
  'minutes.progress',
  'minutes.ready',
  'minutes.failed',
  'minutes.pdf_ready',
  'envelope.status_changed',
  'envelope.documents_stored',
] as const;
export const transcriptSources = ['zoom', 'upload'] as const;
export const transcriptFormats = ['vtt', 'srt', 'txt'] as const;

export const users = pgTable(
  'users',
  {
    id: id(),
    email: varchar('email', { length: 255 }).notNull().unique(),
    name: varchar('name', { length: 255 }),
    passwordHash: text('password_hash').notNull(),
    /** E-mail kinds the user turned off (`{ "minutes_ready": false }`); a kind not named is on. */
    emailPreferences: jsonb('email_preferences').notNull().default({}).$type<Partial<Record<EmailKind, boolean>>>(),
    role: varchar('role', { length: 20 }).notNull().default('user').$type<(typeof userRoles)[number]>(),
    zoomUserId: varchar('zoom_user_id', { length: 255 }),
    docusignUserId: varchar('docusign_user_id', { length: 255 }),
    disabledAt: at('disabled_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [allowedValues('users_role_check', table.role, userRoles)],
);

/** A login: one row per device, the family of its rotated refresh tokens. */
export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    userAgent: text('user_agent'),
    ipAddress: inet('ip_address'),
    expiresAt: at('expires_at').notNull(),
    lastUsedAt: at('last_used_at'),
    revokedAt: at('revoked_at'),
    revokedReason: varchar('revoked_reason', { length: 50 }),
    createdAt: createdAt(),
  },
  (table) => [index('idx_sessions_user_id').on(table.userId)],
);

/** Refresh tokens, stored only as keyed hashes. A token that is used is rotated. */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: id(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    tokenHash: varchar('token_hash', { length: 128 }).notNull().unique(),
    expiresAt: at('expires_at').notNull(),
    rotatedAt: at('rotated_at'),
    createdAt: createdAt(),
  },
  (table) => [
    index('idx_refresh_tokens_session_id').on(table.sessionId),
    // The clean-up of expired tokens: a token is made at every refresh, so this table grows fastest.
    index('idx_refresh_tokens_expires_at').on(table.expiresAt),
  ],
);

export const meetings = pgTable(
  'meetings',
  {
    id: id(),
    // Nullable (the spec has NOT NULL): a meeting held outside Zoom has no Zoom id.
    zoomMeetingId: varchar('zoom_meeting_id', { length: 255 }).unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    topic: varchar('topic', { length: 500 }).notNull(),
    agenda: text('agenda'),
    /** How its ata is written (meeting-settings.ts): the kind, who is expected and the quorum, chair and secretary. */
    kind: varchar('kind', { length: 20 }).notNull().default('general').$type<MeetingKind>(),
    members: jsonb('members').$type<Member[]>(),
    quorum: jsonb('quorum').$type<QuorumRule>(),
    chair: varchar('chair', { length: 255 }),
    secretary: varchar('secretary', { length: 255 }),
    startTime: at('start_time').notNull(),
    duration: integer('duration').notNull(),
    status: varchar('status', { length: 50 }).notNull().default('scheduled').$type<(typeof meetingStatuses)[number]>(),
    joinUrl: text('join_url'),
    recordingUrl: text('recording_url'),
    transcriptUrl: text('transcript_url'),
    hasRecording: boolean('has_recording').notNull().default(false),
    hasTranscript: boolean('has_transcript').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    // A user's meetings newest first: the list's filter and order, so a page reads only its own
    // rows whatever the other users hold. Every query by user_id, start_time or status is scoped to
    // a user, so this one index replaced the three single-column ones (which let the planner walk
    // the whole table by start time when a user's meetings are old).
    index('idx_meetings_user_start_time').on(table.userId, table.startTime.desc().nullsFirst(), table.id.desc().nullsFirst()),
    allowedValues('meetings_status_check', table.status, meetingStatuses),
    allowedValues('meetings_kind_check', table.kind, meetingKinds),
    check('meetings_duration_check', sql`${table.duration} > 0`),
  ],
);

export const participants = pgTable(
  'participants',
  {
    id: id(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    email: varchar('email', { length: 255 }).notNull(),
    name: varchar('name', { length: 255 }),
    role: varchar('role', { length: 50 }).notNull().default('participant').$type<(typeof participantRoles)[number]>(),
    joinedAt: at('joined_at'),
    leftAt: at('left_at'),
    duration: integer('duration'),
    createdAt: createdAt(),
  },
  (table) => [
    index('idx_participants_meeting_id').on(table.meetingId),
    index('idx_participants_email').on(table.email),
    uniqueIndex('participants_meeting_email_unique').on(table.meetingId, table.email),
    allowedValues('participants_role_check', table.role, participantRoles),
  ],
);

export const transcripts = pgTable(
  'transcripts',
  {
    id: id(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    source: varchar('source', { length: 20 }).notNull().$type<(typeof transcriptSources)[number]>(),
    format: varchar('format', { length: 10 }).notNull().$type<(typeof transcriptFormats)[number]>(),
    fileKey: varchar('file_key', { length: 500 }),
    turns: jsonb('turns').notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    index('idx_transcripts_meeting_id').on(table.meetingId),
    // The orphan-file sweep asks which stored files rows still reference.
    index('idx_transcripts_file_key').on(table.fileKey),
    allowedValues('transcripts_source_check', table.source, transcriptSources),
    allowedValues('transcripts_format_check', table.format, transcriptFormats),
  ],
);

export const meetingMinutes = pgTable(
  'meeting_minutes',
  {
    id: id(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    content: text('content').notNull(),
    pdfUrl: text('pdf_url'),
    pdfBlobKey: varchar('pdf_blob_key', { length: 500 }),
    status: varchar('status', { length: 50 }).notNull().default('draft').$type<(typeof minutesStatuses)[number]>(),
    generatedAt: at('generated_at').defaultNow(),
    finalizedAt: at('finalized_at'),
    language: varchar('language', { length: 10 }).notNull().default('pt-BR'),
    /** Time zone of the date and time written in the minutes. */
    timeZone: varchar('time_zone', { length: 64 }).notNull().default('America/Sao_Paulo'),
    isTest: boolean('is_test').notNull().default(false),
    version: integer('version').notNull().default(0),
    /** The merged structured notes the content was rendered from. */
    notes: jsonb('notes'),
    /** The generation request's own kind, agenda, members, quorum, chair or secretary, over the meeting's. */
    settings: jsonb('settings').notNull().default({}).$type<MinutesSettings>(),
    /** Who signs: shown as signature lines in the PDF and used when sending for signature. */
    signers: jsonb('signers').notNull().default([]),
    contentSha256: varchar('content_sha256', { length: 64 }),
    pdfSha256: varchar('pdf_sha256', { length: 64 }),
    /** The content hash the stored PDF was rendered from: a PDF of older content is stale. */
    pdfContentSha256: varchar('pdf_content_sha256', { length: 64 }),
    model: varchar('model', { length: 200 }),
    usage: jsonb('usage'),
    progress: jsonb('progress'),
    errorCode: varchar('error_code', { length: 100 }),
    errorMessage: text('error_message'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    index('idx_meeting_minutes_meeting_id').on(table.meetingId),
    index('idx_meeting_minutes_user_id').on(table.userId),
    index('idx_meeting_minutes_status').on(table.status),
    index('idx_meeting_minutes_pdf_blob_key').on(table.pdfBlobKey),
    // One generation at a time per meeting, even when two requests race.
    uniqueIndex('meeting_minutes_one_generation_per_meeting').on(table.meetingId).where(sql`${table.status} = 'generating'`),
    allowedValues('meeting_minutes_status_check', table.status, minutesStatuses),
  ],
);

/** Every generated or edited content of a minutes, so a regeneration never loses the earlier text. */
export const minutesVersions = pgTable(
  'minutes_versions',
  {
    id: id(),
    minutesId: uuid('minutes_id')
      .notNull()
      .references(() => meetingMinutes.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    source: varchar('source', { length: 20 }).notNull().$type<(typeof minutesVersionSources)[number]>(),
    content: text('content').notNull(),
    notes: jsonb('notes'),
    language: varchar('language', { length: 10 }).notNull(),
    model: varchar('model', { length: 200 }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('minutes_versions_minutes_version_unique').on(table.minutesId, table.version),
    allowedValues('minutes_versions_source_check', table.source, minutesVersionSources),
  ],
);

export const docusignEnvelopes = pgTable(
  'docusign_envelopes',
  {
    id: id(),
    // Null until DocuSign accepts the envelope (status `created`): sending is a job.
    docusignEnvelopeId: varchar('docusign_envelope_id', { length: 255 }).unique(),
    meetingMinutesId: uuid('meeting_minutes_id')
      .notNull()
      .references(() => meetingMinutes.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: varchar('status', { length: 50 }).notNull().default('sent').$type<(typeof envelopeStatuses)[number]>(),
    emailSubject: varchar('email_subject', { length: 500 }),
    emailBlurb: text('email_blurb'),
    sentAt: at('sent_at').defaultNow(),
    completedAt: at('completed_at'),
    declinedAt: at('declined_at'),
    voidedAt: at('voided_at'),
    declineReason: text('decline_reason'),
    deliveredAt: at('delivered_at'),
    voidedReason: text('voided_reason'),
    /** Set before the create call: a later attempt looks for the envelope on DocuSign before creating another. */
    sendAttemptedAt: at('send_attempted_at'),
    /** When DocuSign last told us something (Connect or reconciliation): stale envelopes are polled. */
    lastEventAt: at('last_event_at'),
    sentPdfKey: varchar('sent_pdf_key', { length: 500 }),
    sentPdfSha256: varchar('sent_pdf_sha256', { length: 64 }),
    signedPdfKey: varchar('signed_pdf_key', { length: 500 }),
    signedPdfSha256: varchar('signed_pdf_sha256', { length: 64 }),
    certificateKey: varchar('certificate_key', { length: 500 }),
    certificateSha256: varchar('certificate_sha256', { length: 64 }),
    errorCode: varchar('error_code', { length: 100 }),
    errorMessage: text('error_message'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    index('idx_docusign_envelopes_meeting_minutes_id').on(table.meetingMinutesId),
    index('idx_docusign_envelopes_user_id').on(table.userId),
    index('idx_docusign_envelopes_status').on(table.status),
    index('idx_docusign_envelopes_sent_pdf_key').on(table.sentPdfKey),
    index('idx_docusign_envelopes_signed_pdf_key').on(table.signedPdfKey),
    index('idx_docusign_envelopes_certificate_key').on(table.certificateKey),
    allowedValues('docusign_envelopes_status_check', table.status, envelopeStatuses),
  ],
);

export const signers = pgTable(
  'signers',
  {
    id: id(),
    envelopeId: uuid('envelope_id')
      .notNull()
      .references(() => docusignEnvelopes.id, { onDelete: 'cascade' }),
    email: varchar('email', { length: 255 }).notNull(),
    name: varchar('name', { length: 255 }),
    recipientId: varchar('recipient_id', { length: 50 }),
    routingOrder: integer('routing_order'),
    status: varchar('status', { length: 50 }).notNull().default('sent').$type<(typeof signerStatuses)[number]>(),
    sentAt: at('sent_at'),
    deliveredAt: at('delivered_at'),
    signedAt: at('signed_at'),
    declinedAt: at('declined_at'),
    declineReason: text('decline_reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    index('idx_signers_envelope_id').on(table.envelopeId),
    index('idx_signers_email').on(table.email),
    index('idx_signers_status').on(table.status),
    allowedValues('signers_status_check', table.status, signerStatuses),
  ],
);

export const integrationCredentials = pgTable(
  'integration_credentials',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    provider: varchar('provider', { length: 50 }).notNull().$type<(typeof integrationProviders)[number]>(),
    credentials: jsonb('credentials').notNull(),
    isActive: boolean('is_active').notNull().default(true),
    expiresAt: at('expires_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('integration_credentials_user_provider_unique').on(table.userId, table.provider),
    allowedValues('integration_credentials_provider_check', table.provider, integrationProviders),
  ],
);

export const auditLogs = pgTable(
  'audit_logs',
  {
    id: id(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    action: varchar('action', { length: 100 }).notNull(),
    resourceType: varchar('resource_type', { length: 50 }).notNull(),
    resourceId: uuid('resource_id'),
    details: jsonb('details'),
    ipAddress: inet('ip_address'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
  },
  (table) => [
    index('idx_audit_logs_user_id').on(table.userId),
    index('idx_audit_logs_action').on(table.action),
    index('idx_audit_logs_resource').on(table.resourceType, table.resourceId),
    index('idx_audit_logs_created_at').on(table.createdAt),
  ],
);

export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: id(),
    provider: varchar('provider', { length: 50 }).notNull().$type<(typeof webhookProviders)[number]>(),
    eventType: varchar('event_type', { length: 100 }).notNull(),
    // What makes a delivery the same event: a repeated delivery finds its row here.
    deliveryKey: varchar('delivery_key', { length: 255 }).notNull(),
    payload: jsonb('payload').notNull(),
    processed: boolean('processed').notNull().default(false),
    processedAt: at('processed_at'),
    // When a job was made for the event: the row is stored alone (one statement, the webhook's
    // whole cost) and the worker turns new rows into jobs in batches; null means not yet.
    dispatchedAt: at('dispatched_at'),
    error: text('error'),
    retryCount: integer('retry_count').notNull().default(0),
    // An operator gave up on the event (POST /v1/admin/webhook-events/:id/dismiss): it is not
    // applied, no job applies it, and retention counts from here; a replay clears it.
    dismissedAt: at('dismissed_at'),
    createdAt: createdAt(),
  },
  (table) => [
    index('idx_webhook_events_provider').on(table.provider),
    index('idx_webhook_events_processed').on(table.processed),
    index('idx_webhook_events_created_at').on(table.createdAt),
    index('idx_webhook_events_undispatched').on(table.createdAt).where(sql`${table.dispatchedAt} IS NULL`),
    uniqueIndex('webhook_events_provider_delivery_key_unique').on(table.provider, table.deliveryKey),
    allowedValues('webhook_events_provider_check', table.provider, webhookProviders),
  ],
);

/** Answers of POSTs that create something outside, kept so a retried request gets the same answer. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: varchar('key', { length: 255 }).notNull(),
    method: varchar('method', { length: 10 }).notNull(),
    path: text('path').notNull(),
    requestHash: varchar('request_hash', { length: 64 }).notNull(),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    completedAt: at('completed_at'),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('idempotency_keys_user_key_unique').on(table.userId, table.key),
    index('idx_idempotency_keys_created_at').on(table.createdAt),
  ],
);

/** A transaction id (`xid8`): events are read in the order their transactions can no longer change. */
const transactionId = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/**
 * What happened to a user's things, for their live event stream: written in the transaction of
 * the change it tells, kept for EVENTS_RETENTION_HOURS so a client can resume after a gap.
 */
export const userEvents = pgTable(
  'user_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    transactionId: transactionId('transaction_id')
      .notNull()
      .default(sql`pg_current_xact_id()`),
    type: varchar('type', { length: 64 }).notNull().$type<(typeof userEventTypes)[number]>(),
    data: jsonb('data').notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    index('idx_user_events_user_position').on(table.userId, table.transactionId, table.id),
    index('idx_user_events_created_at').on(table.createdAt),
    allowedValues('user_events_type_check', table.type, userEventTypes),
  ],
);

/** Where a user's events are also sent, signed, for systems that integrate with Atas. */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    events: jsonb('events').notNull().$type<(typeof userEventTypes)[number][]>(),
    description: varchar('description', { length: 255 }),
    /** The signing secret, sealed with ENCRYPTION_KEY: shown once, at creation. */
    secret: jsonb('secret').notNull(),
    /** Since when every attempt has failed; none while deliveries succeed. */
    failingSince: at('failing_since'),
    disabledAt: at('disabled_at'),
    disabledReason: text('disabled_reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index('idx_webhook_endpoints_user_id').on(table.userId)],
);

/** One event sent to one endpoint: retried with backoff for a day, its last attempt recorded. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: id(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventId: varchar('event_id', { length: 64 }).notNull(),
    eventType: varchar('event_type', { length: 64 }).notNull().$type<(typeof userEventTypes)[number]>(),
    /** The body sent, byte for byte. */
    body: text('body').notNull(),
    status: varchar('status', { length: 20 }).notNull().default('pending').$type<(typeof webhookDeliveryStatuses)[number]>(),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    lastAttemptAt: at('last_attempt_at'),
    deliveredAt: at('delivered_at'),
    createdAt: createdAt(),
  },
  (table) => [
    index('idx_webhook_deliveries_endpoint_created').on(table.endpointId, table.createdAt),
    allowedValues('webhook_deliveries_status_check', table.status, webhookDeliveryStatuses),
  ],
);

export const outboundEmailStatuses = ['pending', 'sent', 'failed'] as const;

/**
 * E-mails to send: written in the transaction of the event that causes them (one per event and
 * recipient), sent by a job, their outcome recorded: the SMTP message id, or the error (a
 * permanent refusal, a bounce, is `failed` at once; a temporary one is retried first).
 */
export const outboundEmails = pgTable(
  'outbound_emails',
  {
    id: id(),
    /** The user whose meeting it is about. */
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: varchar('kind', { length: 40 }).notNull().$type<EmailKind>(),
    /** The event that caused it: with the recipient, what makes it once only. */
    eventId: varchar('event_id', { length: 64 }).notNull(),
    recipient: varchar('recipient', { length: 255 }).notNull(),
    recipientName: varchar('recipient_name', { length: 255 }),
    language: varchar('language', { length: 10 }).notNull(),
    /** What the message says besides the recipient: ids, names, reasons (`storedFacts` in notifications.service.ts). */
    facts: jsonb('facts').notNull(),
    status: varchar('status', { length: 20 }).notNull().default('pending').$type<(typeof outboundEmailStatuses)[number]>(),
    attempts: integer('attempts').notNull().default(0),
    smtpMessageId: varchar('smtp_message_id', { length: 255 }),
    errorCode: varchar('error_code', { length: 100 }),
    errorMessage: text('error_message'),
    sentAt: at('sent_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('outbound_emails_event_recipient_unique').on(table.eventId, table.recipient),
    index('idx_outbound_emails_user_created').on(table.userId, table.createdAt),
    // The hourly clean-up's: finished e-mails by when they finished.
    index('idx_outbound_emails_finished').on(table.updatedAt).where(sql`${table.status} <> 'pending'`),
    allowedValues('outbound_emails_kind_check', table.kind, emailKinds),
    allowedValues('outbound_emails_status_check', table.status, outboundEmailStatuses),
  ],
);

/** Addresses that asked, by the link in an e-mail, to get no more of a kind; users' own choices are in users.email_preferences. */
export const emailUnsubscribes = pgTable(
  'email_unsubscribes',
  {
    email: varchar('email', { length: 255 }).notNull(),
    kind: varchar('kind', { length: 40 }).notNull().$type<EmailKind>(),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.email, table.kind] }), allowedValues('email_unsubscribes_kind_check', table.kind, emailKinds)],
);
