import { z } from 'zod';

/** The `Idempotency-Key` header of the POSTs that create something outside (db/idempotency.ts keeps their answers). */
export const idempotencyKeyHeader = z.object({
  'idempotency-key': z.string().min(1).max(255).optional().describe('Retrying with the same key returns the first answer and creates nothing'),
});
