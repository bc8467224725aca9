import { Readable, type PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import type { Database } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { RequestContext } from '../../lib/request-context.js';
import { StorageNotFoundError, type Storage } from '../../lib/storage.js';
import type { AuditService } from '../audit/audit.service.js';
import type { FilesService } from '../files/files.service.js';
import { exportSections, findExportedUser, type ExportSection } from './data-export.repo.js';

/**
 * A user's copy of their data (LGPD art. 18): a zip with `data.json` (the account with its e-mail
 * settings, meetings, participants, transcripts, minutes and their versions, envelopes and
 * signers, integrations and webhook endpoints without their secrets, the e-mails sent, sessions,
 * the audit log) and every stored file of
 * theirs under `files/`. Streamed: rows a page at a time (a few for rows with large values), files
 * one at a time, each read from storage as it is written out, never held whole.
 */
export interface DataExportService {
  /**
   * Audits the export, then starts it: the zip is written as the returned stream is read. A file
   * gone from storage by the time its turn comes (deleted meanwhile, or lost) is replaced by a
   * `files/<key>.missing` note. Any other failure midway ends the stream with an error (the client
   * gets a truncated download).
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

  async function* rowsOf(section: ExportSection, userId: string) {
    let last: string | undefined;
    for (;;) {
      const rows = await section.read(database.db, userId, last, section.pageSize);
      yield* rows;
      if (rows.length < section.pageSize) return;
      last = rows.at(-1)!.id;
    }
  }

  /** data.json, a row at a time: `{ exportedAt, user, files: [...], meetings: [...], participants: [...], ... }`. */
  async function* dataJson(user: NonNullable<Awaited<ReturnType<typeof findExportedUser>>>, files: string[]) {
    yield Buffer.from(`{\n"exportedAt": ${JSON.stringify(new Date())},\n"user": ${JSON.stringify(user)},\n"files": ${JSON.stringify(files.map((key) => `files/${key}`))}`);
    for (const section of exportSections) {
      yield Buffer.from(`,\n${JSON.stringify(section.name)}: [`);
      let separator = '\n';
      for await (const row of rowsOf(section, user.id)) {
        yield Buffer.from(separator + JSON.stringify(row));
        separator = ',\n';
      }
      yield Buffer.from('\n]');
    }
    yield Buffer.from('\n}\n');
  }

  const missingNote = (key: string) =>
    Buffer.from(`files/${key} was not in storage when this export read it (deleted meanwhile, or lost), so this archive does not hold it.\n`);

  return {
    async exportUser(userId, context) {
      const user = await findExportedUser(database.db, userId);
      if (!user) throw new AppError('not_found', 'User not found');
      // Every file the rows name; one storage lacks when its turn comes is a note, not a failed export.
      const files = await deps.files.keysOfUser(userId);
      await deps.audit.record({ userId, action: 'user.data_exported', resourceType: 'user', resourceId: userId, details: { files: files.length }, context }, database.db);

      const zip = new ZipFile();
      // yazl leaves its output open on a failure, and does not listen for its inputs' errors: the
      // download ends with the error instead of hanging, and no error goes unhandled.
      const output = zip.outputStream as PassThrough;
      const fail = (error: unknown) => {
        if (output.destroyed) return;
        deps.log.error({ err: error, userId }, 'data export failed midway');
        output.destroy(error instanceof Error ? error : new Error(String(error)));
      };
      zip.on('error', fail);
      const guarded = <T extends Readable>(stream: T) => stream.on('error', fail);
      // Whether the download ended (read whole, failed, or the client went away).
      const outputClosed = new Promise<void>((resolve) => output.once('close', resolve));
      /** Until `stream` has been read whole by the zip, or the download ended; false in the latter case. */
      const consumed = async (stream: Readable) => {
        const read = await Promise.race([finished(stream).then(() => true, () => false), outputClosed.then(() => false)]);
        if (!read) stream.destroy();
        return read;
      };

      const data = guarded(Readable.from(dataJson(user, files), { objectMode: false }));
      zip.addReadStream(data, 'data.json');
      // Files are added one at a time, each opened only once the one before it has been written:
      // never more than one open file (or S3 response), and none held open while data.json is read.
      void (async () => {
        if (!(await consumed(data))) return;
        for (const key of files) {
          let content: Readable;
          try {
            content = await storage.getStream(key);
          } catch (error) {
            if (!(error instanceof StorageNotFoundError)) throw error;
            deps.log.warn({ key, userId }, 'data export: a file the rows name is not in storage; a note stands in for it');
            zip.addBuffer(missingNote(key), `files/${key}.missing`);
            continue;
          }
          // A PDF barely compresses, so it is stored as is.
          zip.addReadStream(guarded(content), `files/${key}`, { compress: !key.endsWith('.pdf') });
          if (!(await consumed(content))) return;
        }
        zip.end();
      })().catch(fail);
      return { fileName: `atas-export-${new Date().toISOString().slice(0, 10)}.zip`, zip: output };
    },
  };
}
