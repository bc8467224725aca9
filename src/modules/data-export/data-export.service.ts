import { Readable, type PassThrough } from 'node:stream';
import { ZipFile } from 'yazl';
import type { Database } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { RequestContext } from '../../lib/request-context.js';
import type { Storage } from '../../lib/storage.js';
import type { AuditService } from '../audit/audit.service.js';
import type { FilesService } from '../files/files.service.js';
import { exportSections, findExportedUser, type ExportPage } from './data-export.repo.js';

/** Rows read per query while writing data.json. */
const PAGE = 200;

/**
 * A user's copy of their data (LGPD art. 18): a zip with `data.json` (the account, meetings,
 * participants, transcripts, minutes and their versions, envelopes and signers, integrations
 * and webhook endpoints without their secrets, sessions, the audit log) and every stored file of
 * theirs under `files/`. Streamed: rows a page at a time, files one at a time.
 */
export interface DataExportService {
  /**
   * Audits the export, then starts it: the zip is written as the returned stream is read. A
   * failure midway ends the stream with an error (the client gets a truncated download).
   * @throws AppError not_found when the user no longer exists.
   */
  exportUser(userId: string, context: RequestContext): Promise<{ fileName: string; zip: Readable }>;
}

export interface DataExportServiceDeps {
  database: Database;
  storage: Storage;
  files: Pick<FilesService, 'keysOfUser'>;
  audit: Pick<AuditService, 'record'>;
  log: Logger;
}

export function createDataExportService(deps: DataExportServiceDeps): DataExportService {
  const { database, storage } = deps;

  async function* rowsOf(page: ExportPage, userId: string) {
    let last: string | undefined;
    for (;;) {
      const rows = await page(database.db, userId, last, PAGE);
      yield* rows;
      if (rows.length < PAGE) return;
      last = rows.at(-1)!.id;
    }
  }

  /** data.json, a row at a time: `{ exportedAt, user, meetings: [...], participants: [...], ... }`. */
  async function* dataJson(user: NonNullable<Awaited<ReturnType<typeof findExportedUser>>>, files: string[]) {
    yield Buffer.from(`{\n"exportedAt": ${JSON.stringify(new Date())},\n"user": ${JSON.stringify(user)},\n"files": ${JSON.stringify(files.map((key) => `files/${key}`))}`);
    for (const [name, page] of exportSections) {
      yield Buffer.from(`,\n${JSON.stringify(name)}: [`);
      let separator = '\n';
      for await (const row of rowsOf(page, user.id)) {
        yield Buffer.from(separator + JSON.stringify(row));
        separator = ',\n';
      }
      yield Buffer.from('\n]');
    }
    yield Buffer.from('\n}\n');
  }

  return {
    async exportUser(userId, context) {
      const user = await findExportedUser(database.db, userId);
      if (!user) throw new AppError('not_found', 'User not found');
      // A file a row names but storage lacks (lost, or deleted a moment ago) is left out, not a failed export.
      const files: string[] = [];
      for (const key of await deps.files.keysOfUser(userId)) if (await storage.exists(key)) files.push(key);
      await deps.audit.record({ userId, action: 'user.data_exported', resourceType: 'user', resourceId: userId, details: { files: files.length }, context }, database.db);

      const zip = new ZipFile();
      // yazl leaves its output open on a failure, and does not listen for its inputs' errors: the
      // download ends with the error instead of hanging, and no error goes unhandled.
      const output = zip.outputStream as PassThrough;
      const fail = (error: unknown) => {
        deps.log.error({ err: error, userId }, 'data export failed midway');
        output.destroy(error instanceof Error ? error : new Error(String(error)));
      };
      zip.on('error', fail);
      const guarded = (stream: Readable) => stream.on('error', fail);

      zip.addReadStreamLazy('data.json', (callback) => callback(null, guarded(Readable.from(dataJson(user, files), { objectMode: false }))));
      for (const key of files) {
        // Read when its turn comes, one file at a time; a PDF barely compresses, so it is stored as is.
        zip.addReadStreamLazy(`files/${key}`, { compress: !key.endsWith('.pdf') }, (callback) => {
          storage.get(key).then(
            (content) => callback(null, guarded(Readable.from([content], { objectMode: false }))),
            (error: unknown) => fail(error),
          );
        });
      }
      zip.end();
      return { fileName: `atas-export-${new Date().toISOString().slice(0, 10)}.zip`, zip: output };
    },
  };
}
