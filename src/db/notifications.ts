import pg from 'pg';
import { sql } from 'drizzle-orm';
import type { Db } from './client.js';
import type { Logger } from '../lib/logger.js';

export type Notifications = ReturnType<typeof createNotifications>;

/**
 * PostgreSQL LISTEN/NOTIFY on one channel: a worker in another process says "minutes X moved"
 * and every API instance waiting on X wakes up. One listening connection per process, opened
 * on first use and reopened after a failure; the payload is only the key, the state is in the row.
 */
export function createNotifications(options: { url: string; channel: string; log: Logger }) {
  const listeners = new Map<string, Set<() => void>>();
  let connecting: Promise<pg.Client | undefined> | undefined;

  function connect() {
    connecting ??= (async () => {
      const client = new pg.Client({ connectionString: options.url, application_name: 'atas-listen' });
      client.on('notification', (message) => {
        for (const listener of listeners.get(message.payload ?? '') ?? []) listener();
      });
      client.on('error', (error) => {
        options.log.warn({ error: error.message }, 'notification connection lost; waiters fall back to polling');
        connecting = undefined;
        void client.end().catch(() => undefined);
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${pg.escapeIdentifier(options.channel)}`);
        return client;
      } catch (error) {
        options.log.warn({ err: error }, 'could not listen for notifications; waiters fall back to polling');
        connecting = undefined;
        return undefined;
      }
    })();
    return connecting;
  }

  return {
    /** Calls `listener` whenever `key` is notified, until the returned function is called. */
    async subscribe(key: string, listener: () => void): Promise<() => void> {
      const set = listeners.get(key) ?? new Set();
      set.add(listener);
      listeners.set(key, set);
      await connect();
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(key);
      };
    },

    /** Sent when the surrounding transaction commits (immediately outside one). */
    async notify(db: Db, key: string) {
      await db.execute(sql`SELECT pg_notify(${options.channel}, ${key})`);
    },

    async close() {
      const client = await connecting;
      connecting = undefined;
      await client?.end().catch(() => undefined);
    },
  };
}
