/** Rows one clean-up statement deletes at most: each batch is its own short transaction. */
export const DELETE_BATCH = 1000;

/**
 * Runs `deleteBatch` (which deletes at most `limit` rows, in one statement, and says how many)
 * until a batch comes back short: a large backlog is deleted without one long transaction
 * holding locks and bloating the write-ahead log. Returns how many rows went in all.
 */
export async function deleteInBatches(deleteBatch: (limit: number) => Promise<number>, limit = DELETE_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch(limit);
    total += deleted;
    if (deleted < limit) return total;
  }
}
