import pg from 'pg';
import { sql } from 'drizzle-orm';
import type { QueryRunner } from './client.js';
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
  let connection = 0;
  let closed = false;

  function connect() {
    if (connecting) return connecting;
    const mine = ++connection;
    const forget = () => {
      if (connection === mine) connecting = undefined;
    };
    connecting = (async () => {
      const client = new pg.Client({ connectionString: options.url, application_name: 'atas-listen' });
      client.on('notification', (message) => {
        for (const listener of listeners.get(message.payload ?? '') ?? []) listener();
      });
      const lost = (reason: string) => {
        if (closed) return;
        options.log.warn({ reason }, 'notification connection lost; waiters poll until the next subscription reconnects');
        forget();
        void client.end().catch(() => undefined);
      };
      client.on('error', (error) => lost(error.message));
      client.on('end', () => lost('ended'));
      try {
        await client.connect();
        await client.query(`LISTEN ${pg.escapeIdentifier(options.channel)}`);
        return client;
      } catch (error) {
        options.log.warn({ err: error }, 'could not listen for notifications; waiters fall back to polling');
        forget();
        return undefined;
      }
    })();
    return connecting;
  }

  /** Calls `listener` whenever `key` is notified, until the returned function is called. */
  async function subscribe(key: string, listener: () => void): Promise<() => void> {
    const set = listeners.get(key) ?? new Set();
    set.add(listener);
    listeners.set(key, set);
    await connect();
    return () => {
      set.delete(listener);
      if (set.size === 0) listeners.delete(key);
    };
  }

  return {
    subscribe,

    /**
     * Reads `read()` now and again after every notification of `key` (or every `pollMs`, should
     * the listener be down) until `isSettled` says yes, `timeoutMs` passes or `signal` aborts;
     * returns the last value read.
     */
    async waitFor<T>(
      key: string,
      read: () => Promise<T>,
      isSettled: (value: T) => boolean,
      options: { timeoutMs: number; signal?: AbortSignal; onValue?: (value: T) => void; pollMs?: number },
    ): Promise<T> {
      let notified = false;
      let wake = () => undefined as void;
      const unsubscribe = await subscribe(key, () => {
        notified = true;
        wake();
      });
      const stop = () => wake();
      options.signal?.addEventListener('abort', stop);
      const deadline = Date.now() + options.timeoutMs;
      try {
        for (;;) {
          notified = false;
          const value = await read();
          options.onValue?.(value);
          if (isSettled(value) || Date.now() >= deadline || options.signal?.aborted) return value;
          if (notified) continue; // changed while we were reading
          const { promise: woken, resolve } = Promise.withResolvers<void>();
          const timer = setTimeout(resolve, Math.min(options.pollMs ?? 2000, Math.max(0, deadline - Date.now())));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
          await woken;
        }
      } finally {
        options.signal?.removeEventListener('abort', stop);
        unsubscribe();
      }
    },

    /** The channel, for a statement that notifies as part of its own work. */
    channel: options.channel,

    /** Sent when the surrounding transaction commits (immediately outside one). */
    async notify(db: QueryRunner, key: string) {
      await db.execute(sql`SELECT pg_notify(${options.channel}, ${key})`);
    },

    async close() {
      closed = true;
      const client = await connecting;
      connecting = undefined;
      await client?.end().catch(() => undefined);
    },
  };
}
