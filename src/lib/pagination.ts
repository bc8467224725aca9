import { z } from 'zod';

export const paginationQuery = z.object({
  // Bounded so that the offset stays a number PostgreSQL takes.
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export type PaginationQuery = z.infer<typeof paginationQuery>;

export const paginationInfo = z.object({
  total: z.number().int(),
  page: z.number().int(),
  limit: z.number().int(),
  totalPages: z.number().int(),
});

export function paginationOf(query: PaginationQuery, total: number): z.infer<typeof paginationInfo> {
  return { total, page: query.page, limit: query.limit, totalPages: Math.ceil(total / query.limit) };
}

export const offsetOf = (query: PaginationQuery) => (query.page - 1) * query.limit;
