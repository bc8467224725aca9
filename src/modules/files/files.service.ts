import { z } from 'zod';
import type { Database, QueryRunner } from '../../db/client.js';
import { defineJob, type AnyJobDefinition } from '../../jobs/job.js';
import type { Logger } from '../../lib/logger.js';
import type { Storage, StoredFile } from '../../lib/storage.js';
import { fileKeysOfUser, referencedKeys } from './files.repo.js';

/** A file no row references is deleted once it is this old: time enough for its row to commit. */
const ORPHAN_AFTER_MS = 60 * 60 * 1000;
const SWEEP_BATCH = 500;

/**
 * Stored files follow their rows. Writers store a file, then commit the row that names it; a
 * failure or a crash between the two, a PDF replaced by a newer one, or rows deleted with their
 * account leave files no row references. An hourly sweep deletes those (older than an hour, so
 * a row about to commit keeps its file); deleting an account also deletes its files at once.
 */
export interface FilesService {
  /** The orphan sweep's job, for the worker to run. */
  jobs: AnyJobDefinition[];
  /** The sweep, hourly. */
  schedules: { job: AnyJobDefinition; cron: string }[];
  /** Deletes every stored file that no row references and that was written over an hour before `now`. */
  sweepOrphans(now?: number): Promise<{ deleted: number }>;
  /** After the rows that named them are gone (committed): a file that cannot be deleted now is left to the sweep. */
  deleteFiles(keys: string[]): Promise<void>;
  /**
   * The keys of every stored file a user's rows reference: transcripts, minutes PDFs, envelope
   * documents. Read through `db` when given (a transaction that is about to delete those rows).
   */
  keysOfUser(userId: string, db?: QueryRunner): Promise<string[]>;
}

export interface FilesServiceDeps {
  database: Database;
  storage: Storage;
  log: Logger;
}

export function createFilesService(deps: FilesServiceDeps): FilesService {
  const { database, storage, log } = deps;

  async function deleteUnreferenced(files: StoredFile[]): Promise<number> {
    const referenced = await referencedKeys(database.db, files.map((file) => file.key));
    const orphans = files.filter((file) => !referenced.has(file.key));
    for (const file of orphans) await storage.delete(file.key);
    return orphans.length;
  }

  async function sweepOrphans(now = Date.now()) {
    let deleted = 0;
    let batch: StoredFile[] = [];
    for await (const file of storage.list()) {
      if (now - file.modifiedAt.getTime() < ORPHAN_AFTER_MS) continue;
      batch.push(file);
      if (batch.length === SWEEP_BATCH) {
        deleted += await deleteUnreferenced(batch);
        batch = [];
      }
    }
    deleted += await deleteUnreferenced(batch);
    if (deleted > 0) log.info({ deleted }, 'orphaned files deleted');
    return { deleted };
  }

  const sweepJob = defineJob({ name: 'sweep-orphan-files', payloadSchema: z.object({}).passthrough(), retryLimit: 0, handler: async () => void (await sweepOrphans()) });

  return {
    jobs: [sweepJob],
    schedules: [{ job: sweepJob, cron: '17 * * * *' }],
    sweepOrphans,
    keysOfUser: (userId, db = database.db) => fileKeysOfUser(db, userId),

    async deleteFiles(keys) {
      for (const key of keys) {
        await storage.delete(key).catch((error: unknown) => log.warn({ err: error, key }, 'file not deleted; the orphan sweep will retry'));
      }
    },
  };
}
