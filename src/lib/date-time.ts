import { z } from 'zod';

// What round-trips exactly through PostgreSQL and the driver: pg reads years below 100 as 19xx/20xx,
// and JavaScript writes years past 9999 in a form PostgreSQL does not read.
const EARLIEST = Date.UTC(1900, 0, 1);
const LATEST = Date.UTC(10_000, 0, 1) - 1;

/**
 * An instant as clients send it: ISO 8601 with an offset (`2030-01-10T13:00:00-03:00`), between
 * 1900-01-01 and 9999-12-31 (UTC) so that it is stored and read back exactly.
 */
export const isoDateTime = z.iso
  .datetime({ offset: true, abort: true, error: 'must be an ISO 8601 date-time with an offset, e.g. 2030-01-10T13:00:00-03:00' })
  .refine((value) => {
    const time = Date.parse(value);
    return time >= EARLIEST && time <= LATEST;
  }, 'must be between 1900-01-01 and 9999-12-31 (UTC)');
