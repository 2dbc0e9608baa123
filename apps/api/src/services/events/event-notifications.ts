import type { Sql } from "../../db/client.ts";
import type { Logger } from "../../lib/logger.ts";

/** The channel the event triggers notify (db/migrations/0007_event_notify.sql). */
export const EVENTS_CHANNEL = "thrive_events";

export interface Subscriber {
  /** Something of its organization was committed: read what is new. */
  wake(): void;
  /** The process is stopping: end the stream. */
  close(): void;
}

export interface EventStreamSettings {
  /** See EventFeed: how long before its insert an event's id may have been made. */
  overlapMs: number;
  /** A comment line this often keeps proxies and clients from closing an idle stream. */
  keepAliveMs: number;
}

export const DEFAULT_EVENT_STREAM_SETTINGS: EventStreamSettings = {
  overlapMs: 10_000,
  keepAliveMs: 15_000,
};

/**
 * One LISTEN connection per process, shared by all its event streams: a notification names an
 * organization, and wakes that organization's subscribers, which then read the rows
 * themselves. Listening starts with the first subscriber. When the connection is lost,
 * postgres.js reconnects and listens again; notifications sent meanwhile are lost, so every
 * subscriber is woken then to catch up.
 */
export class EventNotifications {
  readonly settings: EventStreamSettings;
  readonly #sql: Sql;
  readonly #logger: Logger;
  readonly #subscribers = new Map<string, Set<Subscriber>>();
  #listening: Promise<unknown> | undefined;
  #closed = false;

  constructor(sql: Sql, logger: Logger, settings: Partial<EventStreamSettings> = {}) {
    this.#sql = sql;
    this.#logger = logger;
    this.settings = { ...DEFAULT_EVENT_STREAM_SETTINGS, ...settings };
  }

  /**
   * Wakes `subscriber` whenever events of `orgId` are committed, from when this resolves (the
   * LISTEN is in place by then). Returns the function that ends the subscription.
   */
  async subscribe(orgId: string, subscriber: Subscriber): Promise<() => void> {
    if (this.#closed) throw new Error("event notifications are closed");
    await this.#listen();
    let subscribers = this.#subscribers.get(orgId);
    if (!subscribers) {
      subscribers = new Set();
      this.#subscribers.set(orgId, subscribers);
    }
    subscribers.add(subscriber);
    return () => {
      const current = this.#subscribers.get(orgId);
      current?.delete(subscriber);
      if (current?.size === 0) this.#subscribers.delete(orgId);
    };
  }

  get subscriberCount(): number {
    let count = 0;
    for (const subscribers of this.#subscribers.values()) count += subscribers.size;
    return count;
  }

  /** Ends every stream (at shutdown, before the HTTP server waits for its connections). */
  close(): void {
    this.#closed = true;
    for (const subscribers of this.#subscribers.values()) {
      for (const subscriber of subscribers) subscriber.close();
    }
  }

  #listen(): Promise<unknown> {
    this.#listening ??= this.#sql
      .listen(
        EVENTS_CHANNEL,
        (orgId) => this.#wake(this.#subscribers.get(orgId)),
        // Called again after each reconnection: catch up on what was missed meanwhile.
        () => {
          for (const subscribers of this.#subscribers.values()) this.#wake(subscribers);
        },
      )
      .catch((error: unknown) => {
        this.#listening = undefined;
        this.#logger.error({ err: error }, "LISTEN for the event streams failed");
        throw error;
      });
    return this.#listening;
  }

  #wake(subscribers: Set<Subscriber> | undefined): void {
    if (!subscribers) return;
    for (const subscriber of subscribers) subscriber.wake();
  }
}
