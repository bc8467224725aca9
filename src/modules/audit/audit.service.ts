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

type AuditLogResponse = ReturnType<typeof toAuditLogResponse>;

/** The audit log: what was done with each account, by whom and from where. */
export interface AuditService {
  /** Writes one row, secrets in `details` redacted; pass a transaction's `db` to make the row part of the change it records. */
  record(entry: AuditEntry, db: QueryRunner): Promise<void>;
  /** One page of a user's log, newest first. */
  list(filter: AuditLogFilter): Promise<{ logs: AuditLogResponse[]; pagination: ReturnType<typeof paginationOf> }>;
}

export interface AuditServiceDeps {
  database: Database;
}

export function createAuditService(deps: AuditServiceDeps): AuditService {
  return {
    async record(entry, db) {
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

    async list(filter) {
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
