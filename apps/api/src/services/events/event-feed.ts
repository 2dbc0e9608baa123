import { and, asc, eq, gt, inArray, lte, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { emailEvents, events } from "../../db/schema/index.ts";
import { readHorizon } from "../reputation/horizon.ts";
import { emailEventRowPayload, selectEmailEvents } from "./email-event-rows.ts";
import { type EventPayload, orgEventPayload } from "./event-payload.ts";
import { STREAMED_EMAIL_EVENT_TYPES } from "./event-types.ts";
import { ORG_EVENT_TYPES } from "./record-event.ts";

export interface StreamEvent {
  id: string;
  payload: EventPayload;
  /**
   * The highest id delivered so far, this one included: where a reconnecting client should
   * resume. It differs from `id` when this event was committed after one with a larger id.
   */
  resumeId: string;
}

export interface EventFeedOptions {
  db: Db;
  orgId: string;
  /** Resume after this event id (Last-Event-ID); from now on when absent. */
  after?: string | undefined;
  /** How long before its insert an event's id may have been made (see the class comment). */
  overlapMs: number;
  /** Rows per query. */
  pageSize?: number;
}

/**
 * An organization's email and organization events as they are committed, for one subscriber.
 *
 * Ids are UUIDv7 made by the writers before they insert, so an event can be committed after
 * one with a larger id (two batches committing out of order): reading `id > last delivered`
 * would skip it forever. So each read also looks again at an overlap window below what was
 * delivered, and de-duplicates by id. The window starts at the horizon of reputation's
 * readHorizon, taken before each read: `overlapMs` before the earlier of now and the start of
 * the oldest transaction still writing. An event not yet visible then has an id above it,
 * provided its id was made at most `overlapMs` before its insert (plus the clock skew between
 * hosts): inserted later, its id is recent; inserted already but not committed, its
 * transaction holds the horizon back. Writers here make ids milliseconds before their insert
 * (seconds for a batch waiting under extreme load): 10 s is ample. Only the ids delivered
 * within the window are remembered, and a count of the window tells whether it holds anything
 * new, so a read transfers only new rows.
 *
 * A client resuming after an id gets the events above it: an event with a smaller id committed
 * while it was away (the same race, within the overlap window) is not sent again.
 */
export class EventFeed {
  readonly #db: Db;
  readonly #orgId: string;
  readonly #overlapMs: number;
  readonly #pageSize: number;
  /** Every event at or below it was delivered or is never going to be. */
  #floor: string;
  /** The highest id delivered. */
  #delivered: string | undefined;
  /** Ids delivered above the floor. */
  #sent = new Set<string>();
  #started = false;

  constructor(options: EventFeedOptions) {
    this.#db = options.db;
    this.#orgId = options.orgId;
    this.#overlapMs = options.overlapMs;
    this.#pageSize = options.pageSize ?? 500;
    const after = options.after?.toLowerCase();
    this.#floor = after ?? "";
    this.#delivered = after;
  }

  /**
   * Delivers what was committed since the last call (since `after` on the first call, or since
   * the subscription started without it), in id order but for late commits, and returns when
   * caught up. `deliver` is awaited: a slow client slows the reading, not the memory.
   */
  async readNew(deliver: (batch: StreamEvent[]) => Promise<void>): Promise<void> {
    if (!this.#started) await this.start();
    const horizon = await readHorizon(this.#db, this.#overlapMs);
    const delivered = this.#delivered;
    if (delivered !== undefined && this.#floor < delivered && (await this.#windowHasNew())) {
      await this.#deliverRange(this.#floor, delivered, deliver);
    }
    await this.#deliverRange(this.#delivered ?? this.#floor, undefined, deliver);
    if (horizon > this.#floor) {
      this.#floor = horizon;
      for (const id of this.#sent) if (id <= horizon) this.#sent.delete(id);
    }
  }

  /**
   * Fixes where the feed starts: after `after`, or, without it, after what is visible now
   * (which counts as delivered; a late commit below it is still sent). Everything committed
   * once this resolves is delivered by readNew.
   */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    if (this.#delivered !== undefined) return;
    const horizon = await readHorizon(this.#db, this.#overlapMs);
    this.#floor = horizon;
    for (const id of await this.#idsAbove(horizon)) {
      this.#sent.add(id);
      if (this.#delivered === undefined || id > this.#delivered) this.#delivered = id;
    }
  }

  /** Whether (floor, delivered] holds a visible event not yet delivered: a late commit. */
  async #windowHasNew(): Promise<boolean> {
    const low = this.#floor;
    const high = this.#delivered as string;
    const rows = await this.#db.execute<{ count: number }>(sql`
      select (
        (select count(*) from ${emailEvents} where ${this.#emailScope(low, high)})
        + (select count(*) from ${events} where ${this.#orgScope(low, high)})
      )::int as count`);
    let known = 0;
    for (const id of this.#sent) if (id > low && id <= high) known += 1;
    return Number(rows[0]?.count ?? 0) > known;
  }

  /** Delivers the events of (low, high] (or above low) not delivered yet, page by page. */
  async #deliverRange(
    low: string,
    high: string | undefined,
    deliver: (batch: StreamEvent[]) => Promise<void>,
  ): Promise<void> {
    // Only a range below what was delivered can hold sent ids: leave them out in SQL.
    const exclude =
      high === undefined ? [] : [...this.#sent].filter((id) => id > low && id <= high);
    let from = low;
    for (;;) {
      const last = await this.#deliverPage(from, high, exclude, deliver);
      if (!last) return;
      from = last;
    }
  }

  /**
   * One page of both tables in (from, to], merged by id. Returns the id to continue after when
   * a table filled its page, undefined when the range is exhausted.
   */
  async #deliverPage(
    from: string,
    to: string | undefined,
    exclude: string[],
    deliver: (batch: StreamEvent[]) => Promise<void>,
  ): Promise<string | undefined> {
    const limit = this.#pageSize;
    const unsent = (id: typeof emailEvents.id | typeof events.id) =>
      exclude.length > 0 ? sql`${id} <> all(${sql.param(exclude)}::uuid[])` : undefined;
    const [emailRows, orgRows] = await Promise.all([
      selectEmailEvents(this.#db)
        .where(and(this.#emailScope(from, to), unsent(emailEvents.id)))
        .orderBy(asc(emailEvents.id))
        .limit(limit),
      this.#db
        .select({
          id: events.id,
          type: events.type,
          data: events.data,
          createdAt: events.createdAt,
        })
        .from(events)
        .where(and(this.#orgScope(from, to), unsent(events.id)))
        .orderBy(asc(events.id))
        .limit(limit),
    ]);
    // A full page may have more rows after it: merge only up to where both pages are complete.
    let until: string | undefined;
    for (const page of [emailRows, orgRows]) {
      const last = page.at(-1)?.id;
      if (page.length === limit && last && (until === undefined || last < until)) until = last;
    }
    const merged = [
      ...emailRows.map((row) => ({ id: row.id, payload: emailEventRowPayload(row) })),
      ...orgRows.map((row) => ({ id: row.id, payload: orgEventPayload(row) })),
    ]
      .filter((event) => (until === undefined || event.id <= until) && !this.#sent.has(event.id))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (merged.length > 0) {
      const batch = merged.map((event) => {
        if (this.#delivered === undefined || event.id > this.#delivered) this.#delivered = event.id;
        this.#sent.add(event.id);
        return { ...event, resumeId: this.#delivered };
      });
      await deliver(batch);
    }
    return until;
  }

  /** Ids visible now above `low`, of both tables: what the subscription starts after. */
  async #idsAbove(low: string): Promise<string[]> {
    const [emailIds, orgIds] = await Promise.all([
      this.#db.select({ id: emailEvents.id }).from(emailEvents).where(this.#emailScope(low)),
      this.#db.select({ id: events.id }).from(events).where(this.#orgScope(low)),
    ]);
    return [...emailIds, ...orgIds].map((row) => row.id);
  }

  #emailScope(low: string, high?: string): SQL | undefined {
    return and(
      eq(emailEvents.orgId, this.#orgId),
      inArray(emailEvents.type, STREAMED_EMAIL_EVENT_TYPES),
      low ? gt(emailEvents.id, low) : undefined,
      high ? lte(emailEvents.id, high) : undefined,
    );
  }

  #orgScope(low: string, high?: string): SQL | undefined {
    return and(
      eq(events.orgId, this.#orgId),
      // Catalog types only: a webhook's test event is for that endpoint, not the stream.
      inArray(events.type, [...ORG_EVENT_TYPES]),
      low ? gt(events.id, low) : undefined,
      high ? lte(events.id, high) : undefined,
    );
  }
}
