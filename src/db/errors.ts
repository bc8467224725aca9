/** PostgreSQL's SQLSTATE of an error, whether pg raised it or Drizzle wrapped it. */
export function sqlStateOf(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = candidate?.code ?? candidate?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

const unreachableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', '57P01', '57P02', '57P03', '53300']);
const unreachableMessages = /Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable/;

/**
 * True when `error` (or one of its causes) says the database cannot be reached or is not taking
 * work (restarting, shutting down, out of connections): a condition of the moment, not of the request.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (unreachableCodes.has(code) || code.startsWith('08'))) return true;
    if (current instanceof Error && unreachableMessages.test(current.message)) return true;
  }
  return false;
}

export const isUniqueViolation = (error: unknown) => sqlStateOf(error) === '23505';
