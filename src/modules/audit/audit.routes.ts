import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../lib/errors.js';
import { currentUser } from '../auth/auth.guards.js';
import { hasPermissions, Permission } from '../auth/auth.permissions.js';
import { auditLogsQuery, auditLogsResponse } from './audit.schemas.js';
import type { AuditService } from './audit.service.js';

export function auditRoutes(deps: { audit: AuditService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/audit-logs',
      {
        schema: {
          operationId: 'listAuditLogs',
          tags: ['user'],
          summary: 'Your audit log',
          description: "What was done with your account, newest first, a page at a time; admins may read another user's with `userId` (for anyone else it is `not_found`).",
          security: [{ bearerAuth: [] }],
          querystring: auditLogsQuery,
          errors: ['not_found'],
          response: { 200: auditLogsResponse },
        },
      },
      async (request) => {
        const user = currentUser(request);
        const { userId = user.id, startDate, endDate, ...rest } = request.query;
        // Another user's log is not found, rather than forbidden, for everyone but admins.
        if (userId !== user.id && !hasPermissions(user.role, [Permission.manageUsers])) {
          throw new AppError('not_found', 'Audit log not found');
        }
        return deps.audit.list({
          ...rest,
          userId,
          ...(startDate ? { startDate: new Date(startDate) } : {}),
          ...(endDate ? { endDate: new Date(endDate) } : {}),
        });
      },
    );
  };
}
