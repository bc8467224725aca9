import { randomBytes } from 'node:crypto';

const DEFAULT_PAGE_SIZE = 30;
const MAX_PAGE_SIZE = 300;
const TOKEN_TTL_MS = 15 * 60_000;

export interface PageQuery {
  page_size?: string;
  next_page_token?: string;
}

/**
 * Zoom's token pagination: `page_size` (30 by default, at most 300) and an opaque
 * `next_page_token`, valid for 15 minutes and only for the list that issued it; `""` on the last
 * page. https://developers.zoom.us/docs/api/using-zoom-apis/#pagination
 */
export function createPager(now = Date.now) {
  const cursors = new Map<string, { list: string; offset: number; expiresAt: number }>();

  return {
    /** One page of `items`, or undefined when the token is unknown, expired or from another list. */
    page<T>(list: string, items: T[], query: PageQuery) {
      const requested = Number.parseInt(query.page_size ?? '', 10);
      const pageSize = Number.isInteger(requested) && requested > 0 ? Math.min(requested, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
      let offset = 0;
      if (query.next_page_token) {
        const cursor = cursors.get(query.next_page_token);
        if (!cursor || cursor.list !== list || cursor.expiresAt <= now()) return undefined;
        offset = cursor.offset;
      }
      const nextOffset = offset + pageSize;
      let nextPageToken = '';
      if (nextOffset < items.length) {
        nextPageToken = randomBytes(16).toString('base64url');
        cursors.set(nextPageToken, { list, offset: nextOffset, expiresAt: now() + TOKEN_TTL_MS });
      }
      const page = items.slice(offset, nextOffset);
      return {
        items: page,
        fields: { page_count: Math.ceil(items.length / pageSize), page_size: pageSize, total_records: items.length, next_page_token: nextPageToken },
      };
    },
  };
}
