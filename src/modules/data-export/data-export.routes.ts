import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteLimiter } from '../../lib/rate-limits.js';
import { requestContextOf } from '../../lib/request-context.js';
import { currentUser } from '../auth/auth.guards.js';
import type { DataExportService } from './data-export.service.js';

/** The signed-in user's copy of their data, under /v1/user. */
export function dataExportRoutes(deps: { dataExport: DataExportService; limiter: RouteLimiter }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/export',
      {
        schema: {
          operationId: 'exportUserData',
          tags: ['user'],
          summary: 'Download all your data',
          description:
            'A zip, streamed: `data.json` (your account, meetings, participants, transcripts, minutes and their versions, envelopes and signers, integrations and webhook endpoints without their secrets, sessions, your audit log) and your stored files under `files/` (transcripts, minutes PDFs, documents sent and signed). Audited; a few exports an hour per user.',
          security: [{ bearerAuth: [] }],
          errors: ['not_found'],
          responseHeaders: { 200: ['Content-Disposition'] },
          fileResponse: { description: 'The zip', mediaType: 'application/zip' },
        },
        preHandler: deps.limiter,
      },
      async (request, reply) => {
        const { fileName, zip } = await deps.dataExport.exportUser(currentUser(request).id, requestContextOf(request));
        return reply.type('application/zip').header('content-disposition', `attachment; filename="${fileName}"`).header('cache-control', 'no-store').send(zip);
      },
    );
  };
}
