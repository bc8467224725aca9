import { and, eq, gt, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { QueryRunner } from '../../db/client.js';
import {
  auditLogs,
  docusignEnvelopes,
  emailUnsubscribes,
  integrationCredentials,
  meetingMinutes,
  meetings,
  minutesVersions,
  outboundEmails,
  participants,
  sessions,
  signers,
  transcripts,
  users,
  webhookEndpoints,
} from '../../db/schema.js';

/**
 * What a user's export holds, read table by table a page at a time (keyset on `id`), so an
 * export costs memory for one page, not for the account. Each query lists the columns it gives,
 * by name: a column added to a table stays out of the export until it is added here, so no
 * password hash, sealed credential, signing secret or token hash ever leaves here by accident.
 */

/** One page of a user's rows after `after` (an id), in id order. */
export type ExportPage = (db: QueryRunner, userId: string, after: string | undefined, limit: number) => Promise<{ id: string }[]>;

/** A section of data.json: its name, how to read it, and how many rows a page holds. */
export interface ExportSection {
  name: string;
  read: ExportPage;
  /** Few for rows that carry a large text or JSON value, so one page stays a few megabytes at most. */
  pageSize: number;
}

/** Rows read per query in a section of small rows. */
const PAGE = 200;

const after = (column: PgColumn, id: string | undefined): SQL | undefined => (id === undefined ? undefined : gt(column, id));

export async function findExportedUser(db: QueryRunner, userId: string) {
  const [user] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      zoomUserId: users.zoomUserId,
      docusignUserId: users.docusignUserId,
      disabledAt: users.disabledAt,
      emailPreferences: users.emailPreferences,
      createdAt: users.createdAt,
      updatedAt: users.updatedAt,
    })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) return undefined;
  // Kinds of e-mail the user's address stopped from an e-mail's link (those an account cannot turn off in its settings).
  const unsubscribed = await db.select({ kind: emailUnsubscribes.kind, at: emailUnsubscribes.createdAt }).from(emailUnsubscribes).where(eq(emailUnsubscribes.email, user.email));
  return { ...user, emailUnsubscribes: unsubscribed };
}

/** Every section of data.json, in order. */
export const exportSections: ExportSection[] = [
  {
    name: 'meetings',
    pageSize: PAGE,
    read: (db, userId, from, limit) =>
      db
        .select({
          id: meetings.id,
          zoomMeetingId: meetings.zoomMeetingId,
          topic: meetings.topic,
          agenda: meetings.agenda,
          startTime: meetings.startTime,
          duration: meetings.duration,
          status: meetings.status,
          joinUrl: meetings.joinUrl,
          recordingUrl: meetings.recordingUrl,
          transcriptUrl: meetings.transcriptUrl,
          hasRecording: meetings.hasRecording,
          hasTranscript: meetings.hasTranscript,
          createdAt: meetings.createdAt,
          updatedAt: meetings.updatedAt,
        })
        .from(meetings)
        .where(and(eq(meetings.userId, userId), after(meetings.id, from)))
        .orderBy(meetings.id)
        .limit(limit),
  },
  {
    name: 'participants',
    pageSize: PAGE,
    read: (db, userId, from, limit) =>
      db
        .select({
          id: participants.id,
          meetingId: participants.meetingId,
          email: participants.email,
          name: participants.name,
          role: participants.role,
          joinedAt: participants.joinedAt,
          leftAt: participants.leftAt,
          duration: participants.duration,
          createdAt: participants.createdAt,
        })
        .from(participants)
        .innerJoin(meetings, eq(meetings.id, participants.meetingId))
        .where(and(eq(meetings.userId, userId), after(participants.id, from)))
        .orderBy(participants.id)
        .limit(limit),
  },
  {
    // The original file of a transcript is in the zip under `file`: its turns (parsed from that
    // file, up to tens of megabytes) are not repeated here. Only a transcript without a stored
    // file has its `turns` in data.json, so those few rows a page.
    name: 'transcripts',
    pageSize: 5,
    read: async (db, userId, from, limit) => {
      const rows = await db
        .select({
          id: transcripts.id,
          meetingId: transcripts.meetingId,
          source: transcripts.source,
          format: transcripts.format,
          file: sql<string | null>`'files/' || ${transcripts.fileKey}`,
          turns: sql<unknown>`CASE WHEN ${transcripts.fileKey} IS NULL THEN ${transcripts.turns} END`,
          createdAt: transcripts.createdAt,
        })
        .from(transcripts)
        .innerJoin(meetings, eq(meetings.id, transcripts.meetingId))
        .where(and(eq(meetings.userId, userId), after(transcripts.id, from)))
        .orderBy(transcripts.id)
        .limit(limit);
      return rows.map(({ turns, ...row }) => (row.file === null ? { ...row, turns } : row));
    },
  },
  {
    name: 'minutes',
    pageSize: 10, // content up to 200,000 characters, and its notes
    read: (db, userId, from, limit) =>
      db
        .select({
          id: meetingMinutes.id,
          meetingId: meetingMinutes.meetingId,
          status: meetingMinutes.status,
          version: meetingMinutes.version,
          language: meetingMinutes.language,
          timeZone: meetingMinutes.timeZone,
          isTest: meetingMinutes.isTest,
          content: meetingMinutes.content,
          notes: meetingMinutes.notes,
          signers: meetingMinutes.signers,
          pdfUrl: meetingMinutes.pdfUrl,
          pdfBlobKey: meetingMinutes.pdfBlobKey,
          contentSha256: meetingMinutes.contentSha256,
          pdfSha256: meetingMinutes.pdfSha256,
          pdfContentSha256: meetingMinutes.pdfContentSha256,
          model: meetingMinutes.model,
          usage: meetingMinutes.usage,
          progress: meetingMinutes.progress,
          errorCode: meetingMinutes.errorCode,
          errorMessage: meetingMinutes.errorMessage,
          generatedAt: meetingMinutes.generatedAt,
          finalizedAt: meetingMinutes.finalizedAt,
          createdAt: meetingMinutes.createdAt,
          updatedAt: meetingMinutes.updatedAt,
        })
        .from(meetingMinutes)
        .where(and(eq(meetingMinutes.userId, userId), after(meetingMinutes.id, from)))
        .orderBy(meetingMinutes.id)
        .limit(limit),
  },
  {
    name: 'minutesVersions',
    pageSize: 10,
    read: (db, userId, from, limit) =>
      db
        .select({
          id: minutesVersions.id,
          minutesId: minutesVersions.minutesId,
          version: minutesVersions.version,
          source: minutesVersions.source,
          content: minutesVersions.content,
          notes: minutesVersions.notes,
          language: minutesVersions.language,
          model: minutesVersions.model,
          createdBy: minutesVersions.createdBy,
          createdAt: minutesVersions.createdAt,
        })
        .from(minutesVersions)
        .innerJoin(meetingMinutes, eq(meetingMinutes.id, minutesVersions.minutesId))
        .where(and(eq(meetingMinutes.userId, userId), after(minutesVersions.id, from)))
        .orderBy(minutesVersions.id)
        .limit(limit),
  },
  {
    name: 'envelopes',
    pageSize: PAGE,
    read: (db, userId, from, limit) =>
      db
        .select({
          id: docusignEnvelopes.id,
          docusignEnvelopeId: docusignEnvelopes.docusignEnvelopeId,
          meetingMinutesId: docusignEnvelopes.meetingMinutesId,
          status: docusignEnvelopes.status,
          emailSubject: docusignEnvelopes.emailSubject,
          emailBlurb: docusignEnvelopes.emailBlurb,
          sentAt: docusignEnvelopes.sentAt,
          deliveredAt: docusignEnvelopes.deliveredAt,
          completedAt: docusignEnvelopes.completedAt,
          declinedAt: docusignEnvelopes.declinedAt,
          declineReason: docusignEnvelopes.declineReason,
          voidedAt: docusignEnvelopes.voidedAt,
          voidedReason: docusignEnvelopes.voidedReason,
          sendAttemptedAt: docusignEnvelopes.sendAttemptedAt,
          lastEventAt: docusignEnvelopes.lastEventAt,
          sentPdfKey: docusignEnvelopes.sentPdfKey,
          sentPdfSha256: docusignEnvelopes.sentPdfSha256,
          signedPdfKey: docusignEnvelopes.signedPdfKey,
          signedPdfSha256: docusignEnvelopes.signedPdfSha256,
          certificateKey: docusignEnvelopes.certificateKey,
          certificateSha256: docusignEnvelopes.certificateSha256,
          errorCode: docusignEnvelopes.errorCode,
          errorMessage: docusignEnvelopes.errorMessage,
          createdAt: docusignEnvelopes.createdAt,
          updatedAt: docusignEnvelopes.updatedAt,
        })
        .from(docusignEnvelopes)
        .where(and(eq(docusignEnvelopes.userId, userId), after(docusignEnvelopes.id, from)))
        .orderBy(docusignEnvelopes.id)
        .limit(limit),
  },
  {
    name: 'signers',
    pageSize: PAGE,
    read: (db, userId, from, limit) =>
      db
        .select({
          id: signers.id,
          envelopeId: signers.envelopeId,
          email: signers.email,
          name: signers.name,
          recipientId: signers.recipientId,
          routingOrder: signers.routingOrder,
          status: signers.status,
          sentAt: signers.sentAt,
          deliveredAt: signers.deliveredAt,
          signedAt: signers.signedAt,
          declinedAt: signers.declinedAt,
          declineReason: signers.declineReason,
          createdAt: signers.createdAt,
          updatedAt: signers.updatedAt,
        })
        .from(signers)
        .innerJoin(docusignEnvelopes, eq(docusignEnvelopes.id, signers.envelopeId))
        .where(and(eq(docusignEnvelopes.userId, userId), after(signers.id, from)))
        .orderBy(signers.id)
        .limit(limit),
  },
  {
    name: 'integrations',
    pageSize: PAGE,
    read: (db, userId, from, limit) =>
      db
        .select({
          id: integrationCredentials.id,
          provider: integrationCredentials.provider,
          // The names of the fields set, never their (sealed) values.
          fieldsSet: sql<string[]>`${integrationCredentials.credentials} -> 'fields'`,
          isActive: integrationCredentials.isActive,
          expiresAt: integrationCredentials.expiresAt,
          createdAt: integrationCredentials.createdAt,
          updatedAt: integrationCredentials.updatedAt,
        })
        .from(integrationCredentials)
        .where(and(eq(integrationCredentials.userId, userId), after(integrationCredentials.id, from)))
        .orderBy(integrationCredentials.id)
        .limit(limit),
  },
  {
    name: 'webhookEndpoints',
    pageSize: PAGE,
    read: (db, userId, from, limit) =>
      db
        .select({
          id: webhookEndpoints.id,
          url: webhookEndpoints.url,
          events: webhookEndpoints.events,
          description: webhookEndpoints.description,
          failingSince: webhookEndpoints.failingSince,
          disabledAt: webhookEndpoints.disabledAt,
          disabledReason: webhookEndpoints.disabledReason,
          createdAt: webhookEndpoints.createdAt,
          updatedAt: webhookEndpoints.updatedAt,
        })
        .from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.userId, userId), after(webhookEndpoints.id, from)))
        .orderBy(webhookEndpoints.id)
        .limit(limit),
  },
  {
    // Sent about the user's meetings, to them and to participants: who, what kind, and what came of it.
    name: 'emails',
    pageSize: PAGE,
    read: (db, userId, from, limit) =>
      db
        .select({
          id: outboundEmails.id,
          kind: outboundEmails.kind,
          recipient: outboundEmails.recipient,
          recipientName: outboundEmails.recipientName,
          language: outboundEmails.language,
          facts: outboundEmails.facts,
          status: outboundEmails.status,
          attempts: outboundEmails.attempts,
          errorCode: outboundEmails.errorCode,
          errorMessage: outboundEmails.errorMessage,
          sentAt: outboundEmails.sentAt,
          createdAt: outboundEmails.createdAt,
        })
        .from(outboundEmails)
        .where(and(eq(outboundEmails.userId, userId), after(outboundEmails.id, from)))
        .orderBy(outboundEmails.id)
        .limit(limit),
  },
  {
    name: 'sessions',
    pageSize: PAGE,
    read: (db, userId, from, limit) =>
      db
        .select({
          id: sessions.id,
          userAgent: sessions.userAgent,
          ipAddress: sessions.ipAddress,
          expiresAt: sessions.expiresAt,
          lastUsedAt: sessions.lastUsedAt,
          revokedAt: sessions.revokedAt,
          revokedReason: sessions.revokedReason,
          createdAt: sessions.createdAt,
        })
        .from(sessions)
        .where(and(eq(sessions.userId, userId), after(sessions.id, from)))
        .orderBy(sessions.id)
        .limit(limit),
  },
  {
    name: 'auditLogs',
    pageSize: PAGE,
    read: (db, userId, from, limit) =>
      db
        .select({
          id: auditLogs.id,
          action: auditLogs.action,
          resourceType: auditLogs.resourceType,
          resourceId: auditLogs.resourceId,
          details: auditLogs.details,
          ipAddress: auditLogs.ipAddress,
          userAgent: auditLogs.userAgent,
          createdAt: auditLogs.createdAt,
        })
        .from(auditLogs)
        .where(and(eq(auditLogs.userId, userId), after(auditLogs.id, from)))
        .orderBy(auditLogs.id)
        .limit(limit),
  },
];
