import { and, count, desc, eq, gte, lte } from 'drizzle-orm';
import type { QueryRunner } from '../../db/client.js';
import { auditLogs } from '../../db/schema.js';
import { offsetOf, type PaginationQuery } from '../../lib/pagination.js';

export type AuditLogRow = typeof auditLogs.$inferSelect;

export async function insertAuditLog(db: QueryRunner, values: typeof auditLogs.$inferInsert): Promise<void> {
  await db.insert(auditLogs).values(values);
}

export interface AuditLogFilter extends PaginationQuery {
  userId: string;
  action?: string;
  startDate?: Date;
  endDate?: Date;
}

export async function listAuditLogs(db: QueryRunner, filter: AuditLogFilter) {
  const where = and(
    eq(auditLogs.userId, filter.userId),
    filter.action ? eq(auditLogs.action, filter.action) : undefined,
    filter.startDate ? gte(auditLogs.createdAt, filter.startDate) : undefined,
    filter.endDate ? lte(auditLogs.createdAt, filter.endDate) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(auditLogs)
      .where(where)
      .orderBy(desc(auditLogs.createdAt), desc(auditLogs.id))
      .limit(filter.limit)
      .offset(offsetOf(filter)),
    db.select({ value: count() }).from(auditLogs).where(where),
  ]);
  return { rows, total: total?.value ?? 0 };
}
