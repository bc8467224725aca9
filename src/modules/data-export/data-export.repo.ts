import { and, eq, getTableColumns, gt, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { QueryRunner } from '../../db/client.js';
import {
  auditLogs,
  docusignEnvelopes,
  integrationCredentials,
  meetingMinutes,
  meetings,
  minutesVersions,
  participants,
  sessions,
  signers,
  transcripts,
  users,
  webhookEndpoints,
} from '../../db/schema.js';

/**
 * What a user's export holds, read table by table a page at a time (keyset on `id`), so an
 * export costs memory for one page, not for the account. Each query names the columns it gives:
 * no password hash, no sealed credential, no signing secret, no token hash ever leaves here.
 */

/** One page of a user's rows after `after` (an id), in id order. */
export type ExportPage = (db: QueryRunner, userId: string, after: string | undefined, limit: number) => Promise<{ id: string }[]>;

const after = (column: PgColumn, id: string | undefined): SQL | undefined => (id === undefined ? undefined : gt(column, id));

export async function findExportedUser(db: QueryRunner, userId: string) {
  const { passwordHash: _secret, ...columns } = getTableColumns(users);
  const [user] = await db.select(columns).from(users).where(eq(users.id, userId));
  return user;
}

/** Every section of data.json, in order: its name and how to read it a page at a time. */
export const exportSections: [string, ExportPage][] = [
  [
    'meetings',
    (db, userId, from, limit) =>
      db.select(getTableColumns(meetings)).from(meetings).where(and(eq(meetings.userId, userId), after(meetings.id, from))).orderBy(meetings.id).limit(limit),
  ],
  [
    'participants',
    (db, userId, from, limit) =>
      db
        .select(getTableColumns(participants))
        .from(participants)
        .innerJoin(meetings, eq(meetings.id, participants.meetingId))
        .where(and(eq(meetings.userId, userId), after(participants.id, from)))
        .orderBy(participants.id)
        .limit(limit),
  ],
  [
    'transcripts',
    (db, userId, from, limit) =>
      db
        .select(getTableColumns(transcripts))
        .from(transcripts)
        .innerJoin(meetings, eq(meetings.id, transcripts.meetingId))
        .where(and(eq(meetings.userId, userId), after(transcripts.id, from)))
        .orderBy(transcripts.id)
        .limit(limit),
  ],
  [
    'minutes',
    (db, userId, from, limit) =>
      db
        .select(getTableColumns(meetingMinutes))
        .from(meetingMinutes)
        .where(and(eq(meetingMinutes.userId, userId), after(meetingMinutes.id, from)))
        .orderBy(meetingMinutes.id)
        .limit(limit),
  ],
  [
    'minutesVersions',
    (db, userId, from, limit) =>
      db
        .select(getTableColumns(minutesVersions))
        .from(minutesVersions)
        .innerJoin(meetingMinutes, eq(meetingMinutes.id, minutesVersions.minutesId))
        .where(and(eq(meetingMinutes.userId, userId), after(minutesVersions.id, from)))
        .orderBy(minutesVersions.id)
        .limit(limit),
  ],
  [
    'envelopes',
    (db, userId, from, limit) =>
      db
        .select(getTableColumns(docusignEnvelopes))
        .from(docusignEnvelopes)
        .where(and(eq(docusignEnvelopes.userId, userId), after(docusignEnvelopes.id, from)))
        .orderBy(docusignEnvelopes.id)
        .limit(limit),
  ],
  [
    'signers',
    (db, userId, from, limit) =>
      db
        .select(getTableColumns(signers))
        .from(signers)
        .innerJoin(docusignEnvelopes, eq(docusignEnvelopes.id, signers.envelopeId))
        .where(and(eq(docusignEnvelopes.userId, userId), after(signers.id, from)))
        .orderBy(signers.id)
        .limit(limit),
  ],
  [
    'integrations',
    (db, userId, from, limit) =>
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
  ],
  [
    'webhookEndpoints',
    (db, userId, from, limit) =>
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
  ],
  [
    'sessions',
    (db, userId, from, limit) =>
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
  ],
  [
    'auditLogs',
    (db, userId, from, limit) =>
      db
        .select(getTableColumns(auditLogs))
        .from(auditLogs)
        .where(and(eq(auditLogs.userId, userId), after(auditLogs.id, from)))
        .orderBy(auditLogs.id)
        .limit(limit),
  ],
];
