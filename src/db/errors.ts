/** PostgreSQL's SQLSTATE of an error, whether pg raised it or Drizzle wrapped it. */
export function sqlStateOf(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = candidate?.code ?? candidate?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

export const isUniqueViolation = (error: unknown) => sqlStateOf(error) === '23505';
