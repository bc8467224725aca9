import { z } from 'zod';
import { isoDateTime } from '../../lib/date-time.js';
import { paginationInfo, paginationQuery } from '../../lib/pagination.js';

export const auditLogsQuery = paginationQuery.extend({
  action: z.string().min(1).max(100).optional(),
  startDate: isoDateTime.optional(),
  endDate: isoDateTime.optional(),
  userId: z.uuid().optional().describe('Admins only: another user whose log to read'),
});

export const auditLog = z
  .object({
    id: z.uuid(),
    userId: z.uuid().nullable(),
    action: z.string(),
    resourceType: z.string(),
    resourceId: z.uuid().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
    ipAddress: z.string().nullable(),
    userAgent: z.string().nullable(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'AuditLog' });

export const auditLogsResponse = z.object({ logs: z.array(auditLog), pagination: paginationInfo });
