import { isIP } from 'node:net';
import type { Database, QueryRunner } from '../../db/client.js';
import { paginationOf } from '../../lib/pagination.js';
import type { RequestContext } from '../../lib/request-context.js';
import { insertAuditLog, listAuditLogs, type AuditLogFilter, type AuditLogRow } from './audit.repo.js';
import { redactSecrets } from './audit.redact.js';

export interface AuditEntry {
  userId: string | null;
  action: string;
  resourceType: string;
  resourceId?: string | null;
  details?: Record<string, unknown>;
  context?: RequestContext;
}

export type AuditService = ReturnType<typeof createAuditService>;

export function createAuditService(deps: { database: Database }) {
  return {
    /** Writes one row; pass a transaction's `db` to make the row part of the change it records. */
    async record(entry: AuditEntry, db: QueryRunner): Promise<void> {
      const ip = entry.context?.ip;
      await insertAuditLog(db, {
        userId: entry.userId,
        action: entry.action,
        resourceType: entry.resourceType,
        resourceId: entry.resourceId ?? null,
        details: entry.details === undefined ? null : redactSecrets(entry.details),
        ipAddress: ip && isIP(ip) ? ip : null,
        userAgent: entry.context?.userAgent ?? null,
      });
    },

    async list(filter: AuditLogFilter) {
      const { rows, total } = await listAuditLogs(deps.database.db, filter);
      return { logs: rows.map(toAuditLogResponse), pagination: paginationOf(filter, total) };
    },
  };
}

function toAuditLogResponse(row: AuditLogRow) {
  return {
    id: row.id,
    userId: row.userId,
    action: row.action,
    resourceType: row.resourceType,
    resourceId: row.resourceId,
    details: (row.details ?? null) as Record<string, unknown> | null,
    ipAddress: row.ipAddress,
    userAgent: row.userAgent,
    createdAt: row.createdAt.toISOString(),
  };
}
