import { z } from 'zod';
import type { Database } from '../../db/client.js';
import { defineJob } from '../../jobs/job.js';
import type { Logger } from '../../lib/logger.js';
import type { Storage, StoredFile } from '../../lib/storage.js';
import { referencedKeys } from './files.repo.js';

/** A file no row references is deleted once it is this old: time enough for its row to commit. */
const ORPHAN_AFTER_MS = 60 * 60 * 1000;
const SWEEP_BATCH = 500;

export type FilesService = ReturnType<typeof createFilesService>;

/**
 * Stored files follow their rows. Writers store a file, then commit the row that names it; a
 * failure or a crash between the two, a PDF replaced by a newer one, or rows deleted with their
 * account leave files no row references. An hourly sweep deletes those (older than an hour, so
 * a row about to commit keeps its file); deleting an account also deletes its files at once.
 */
export function createFilesService(deps: { database: Database; storage: Storage; log: Logger }) {
  const { database, storage, log } = deps;

  async function deleteUnreferenced(files: StoredFile[]): Promise<number> {
    const referenced = await referencedKeys(database.db, files.map((file) => file.key));
    const orphans = files.filter((file) => !referenced.has(file.key));
    for (const file of orphans) await storage.delete(file.key);
    return orphans.length;
  }

  /** Deletes every stored file that no row references and that was written over an hour before `now`. */
  async function sweepOrphans(now = Date.now()): Promise<{ deleted: number }> {
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

    /** After the rows that named them are gone (committed): a file that cannot be deleted now is left to the sweep. */
    async deleteFiles(keys: string[]) {
      for (const key of keys) {
        await storage.delete(key).catch((error: unknown) => log.warn({ err: error, key }, 'file not deleted; the orphan sweep will retry'));
      }
    },
  };
}
