import { z } from 'zod';
import { deleteInBatches } from '../../db/batches.js';
import type { Database, Transaction } from '../../db/client.js';
import type { Notifications } from '../../db/notifications.js';
import { defineJob, type AnyJobDefinition } from '../../jobs/job.js';
import type { Logger } from '../../lib/logger.js';
import type { UserEventData } from './events.schemas.js';
import { currentPosition, deleteEventsBefore, eventsAfter, insertUserEvent, type EventPosition, type StoredEvent, type UserEventType } from './events.repo.js';

/** Read at a time while catching up. */
const PAGE = 100;
/** How often a follower reads again without a notification (one lost, or an older transaction still open). */
const POLL_MS = 1000;

/** An event's id on the wire (`Last-Event-ID`): the position it is at. */
export const eventIdOf = (position: EventPosition) => `${position.transactionId}-${position.id}`;

export function positionOf(eventId: string): EventPosition | undefined {
  const match = /^(\d{1,20})-(\d{1,19})$/.exec(eventId);
  return match ? { transactionId: match[1]!, id: Number(match[2]) } : undefined;
}

const notificationKey = (userId: string) => `events:${userId}`;

/**
 * A user's live events: an outbox written with each change, read in commit order by every API
 * instance (a notification wakes the readers; a poll covers a lost one), kept for
 * EVENTS_RETENTION_HOURS so a client resumes with `Last-Event-ID` after a gap or a restart.
 */
export interface EventsService {
  /** Records an event in the transaction of the change it tells; followers hear of it when it commits. */
  publish<Type extends UserEventType>(tx: Transaction, userId: string, type: Type, data: UserEventData<Type>): Promise<void>;
  /** Calls `deliver` with each of the user's events after `from` (or from now), in order, until `signal` aborts. */
  follow(userId: string, from: EventPosition | undefined, deliver: (event: StoredEvent) => void, signal: AbortSignal): Promise<void>;
  /** Deletes the events older than EVENTS_RETENTION_HOURS at `now`; returns how many. */
  deleteExpired(now?: Date): Promise<number>;
  /** The cleanup's job, for the worker to run. */
  jobs: AnyJobDefinition[];
  /** The cleanup, hourly. */
  schedules: { job: AnyJobDefinition; cron: string }[];
}

/** An event as it is published, for those that pass it on. */
export interface PublishedEvent {
  userId: string;
  id: string;
  type: UserEventType;
  data: unknown;
  createdAt: Date;
}

/** Passes events on: whatever it writes or enqueues commits, or not, with the event. */
export interface EventSubscriber {
  enqueue(tx: Transaction, event: PublishedEvent): Promise<void>;
}

export interface EventsServiceDeps {
  database: Database;
  notifications: Notifications;
  /** Those that pass each event on (the user's webhook endpoints, e-mail), each in the transaction that publishes it. */
  subscribers: EventSubscriber[];
  retentionHours: number;
  log: Logger;
}

export function createEventsService(deps: EventsServiceDeps): EventsService {
  const { database, notifications } = deps;

  async function deleteExpired(now = new Date()) {
    const cutoff = new Date(now.getTime() - deps.retentionHours * 3_600_000);
    const deleted = await deleteInBatches((limit) => deleteEventsBefore(database.db, cutoff, limit));
    if (deleted > 0) deps.log.info({ deleted }, 'expired user events deleted');
    return deleted;
  }
  const cleanupJob = defineJob({ name: 'delete-expired-user-events', payloadSchema: z.object({}).passthrough(), retryLimit: 0, handler: async () => void (await deleteExpired()) });

  return {
    async publish(tx, userId, type, data) {
      const stored = await insertUserEvent(tx.db, { userId, type, data });
      const event = { userId, id: eventIdOf(stored), type, data, createdAt: stored.createdAt };
      for (const subscriber of deps.subscribers) await subscriber.enqueue(tx, event);
      await notifications.notify(tx.db, notificationKey(userId));
    },

    async follow(userId, from, deliver, signal) {
      let position = from ?? (await currentPosition(database.db, userId));
      /** Delivers every event readable now, a page at a time. */
      const deliverNew = async () => {
        for (;;) {
          const events = await eventsAfter(database.db, userId, position, PAGE);
          for (const event of events) deliver(event);
          position = events.at(-1) ?? position;
          if (events.length < PAGE) return;
        }
      };
      // Read again at each notification of the user's events (or every POLL_MS), until `signal` aborts.
      await notifications.waitFor(notificationKey(userId), deliverNew, () => false, { timeoutMs: Number.POSITIVE_INFINITY, signal, pollMs: POLL_MS });
    },

    deleteExpired,
    jobs: [cleanupJob],
    schedules: [{ job: cleanupJob, cron: '23 * * * *' }],
  };
}
