import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { paginationInfo, paginationQuery } from '../../lib/pagination.js';
import { currentUser, type AuthGuards } from '../auth/auth.guards.js';
import { Permission } from '../auth/auth.permissions.js';
import { TranscriptFormatError, type TranscriptFormat } from './transcript.parse.js';
import { DEFAULT_TURNS_PER_PAGE, type TranscriptsService } from './transcripts.service.js';

const MAX_TRANSCRIPT_BYTES = 20 * 1024 * 1024;
const formatsByMediaType: Record<string, TranscriptFormat> = {
  'text/vtt': 'vtt',
  'application/x-subrip': 'srt',
  'text/srt': 'srt',
  'text/plain': 'txt',
};
const params = z.object({ id: z.uuid() });
// Pages of turns are longer than pages of meetings: turns are small and a meeting has thousands.
const turnsPageQuery = paginationQuery.extend({
  limit: z.coerce.number().int().min(1).max(1000).default(DEFAULT_TURNS_PER_PAGE).describe('Turns per page'),
});

const transcriptResponse = z
  .object({
    turns: z.array(
      z.object({
        speaker: z.string().nullable(),
        start: z.number().nullable().describe('Seconds from the start of the meeting'),
        end: z.number().nullable(),
        text: z.string(),
        participantEmail: z.string().nullable().optional().describe('The participant the speaker was matched to'),
      }),
    ),
    pagination: paginationInfo.describe('Which turns these are: a long meeting has tens of thousands'),
    format: z.enum(['vtt', 'srt', 'txt']),
    source: z.enum(['zoom', 'upload']),
    createdAt: z.string(),
  })
  .meta({ id: 'Transcript' });

/** A meeting's transcript: upload one (meetings held elsewhere) and read its speaker turns. */
export function transcriptRoutes(deps: { transcripts: TranscriptsService; guards: AuthGuards }): FastifyPluginAsyncZod {
  return async (app) => {
    for (const mediaType of Object.keys(formatsByMediaType)) {
      // Kept as bytes: decoding happens in the parsing thread.
      app.addContentTypeParser(mediaType, { parseAs: 'buffer', bodyLimit: MAX_TRANSCRIPT_BYTES }, (_request, body, done) => done(null, body));
    }

    app.post(
      '/:id/transcript',
      {
        bodyLimit: MAX_TRANSCRIPT_BYTES,
        onRequest: deps.guards.authorize(Permission.writeMeetings),
        schema: {
          operationId: 'uploadTranscript',
          tags: ['meetings'],
          summary: "Upload a meeting's transcript",
          description:
            'For a meeting held elsewhere (or to replace Zoom\'s): WebVTT, SubRip, or plain text of `Name: text` lines; 20 MB at most. Answers with its first page of speaker turns.',
          security: [{ bearerAuth: [] }],
          params,
          unparsedBody: { description: 'The transcript file', mediaTypes: Object.keys(formatsByMediaType) },
          errors: ['not_found', 'unprocessable_transcript'],
          response: { 201: transcriptResponse },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        const format = formatsByMediaType[mediaType];
        if (!format || !Buffer.isBuffer(request.body)) {
          throw new AppError('unsupported_media_type', `Send the transcript as one of: ${Object.keys(formatsByMediaType).join(', ')}`);
        }
        try {
          return reply.status(201).send(await deps.transcripts.upload(currentUser(request).id, id, request.body, format));
        } catch (error) {
          if (error instanceof TranscriptFormatError) throw new AppError('unprocessable_transcript', `The transcript cannot be read: ${error.message}`);
          throw error;
        }
      },
    );

    app.get(
      '/:id/transcript',
      {
        onRequest: deps.guards.authorize(Permission.readMeetings),
        schema: {
          operationId: 'getTranscript',
          tags: ['meetings'],
          summary: "A meeting's transcript",
          description: 'Its speaker turns, a page at a time (up to 1000 a page): a long meeting has tens of thousands.',
          errors: ['not_found'],
          security: [{ bearerAuth: [] }],
          params,
          querystring: turnsPageQuery,
          response: { 200: transcriptResponse },
        },
      },
      async (request) => deps.transcripts.get(currentUser(request).id, request.params.id, request.query),
    );
  };
}
