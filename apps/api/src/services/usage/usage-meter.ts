import type { Sql } from "../../db/client.ts";
import type { Logger } from "../../lib/logger.ts";
import { nextUtcDay, utcDayOf } from "./utc-periods.ts";

interface Counts {
  orgId: string;
  day: string;
  emails: number;
  apiCalls: number;
}

/**
 * Usage per organization and UTC day (GET /usage), counted in memory and added to usage_daily
 * every `flushMs` in one statement for all organizations: the hot path increments a number,
 * it never writes. What a process counted since its last flush is lost if it crashes (at
 * most `flushMs` of usage); a stop flushes it. A failed flush keeps its counts for the next.
 */
export class UsageMeter {
  readonly #sql: Sql;
  readonly #logger: Logger;
  readonly #flushMs: number;
  #counts = new Map<string, Counts>();
  #day = { value: "", until: 0 };
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(sql: Sql, logger: Logger, options: { flushMs?: number } = {}) {
    this.#sql = sql;
    this.#logger = logger;
    this.#flushMs = options.flushMs ?? 10_000;
  }

  countApiCall(orgId: string): void {
    this.#entry(orgId).apiCalls += 1;
  }

  countEmails(orgId: string, emails: number): void {
    if (emails > 0) this.#entry(orgId).emails += emails;
  }

  /** Flushes every `flushMs` until stop(). */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.flush(), this.#flushMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }

  /** Adds what was counted since the last flush to usage_daily. One flush at a time. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#flushNow());
    return this.#flushing;
  }

  async #flushNow(): Promise<void> {
    if (this.#counts.size === 0) return;
    const counts = [...this.#counts.values()];
    this.#counts = new Map();
    try {
      await this.#sql`
        insert into usage_daily as usage (org_id, day, emails, api_calls)
        select "orgId", "day", "emails", "apiCalls"
        from json_to_recordset(${JSON.stringify(counts)}::json)
          as c("orgId" uuid, "day" date, "emails" bigint, "apiCalls" bigint)
        on conflict (org_id, day) do update set
          emails = usage.emails + excluded.emails,
          api_calls = usage.api_calls + excluded.api_calls`;
    } catch (error) {
      this.#logger.warn({ err: error }, "could not record usage; retrying at the next flush");
      for (const count of counts) {
        const entry = this.#entryFor(count.orgId, count.day);
        entry.emails += count.emails;
        entry.apiCalls += count.apiCalls;
      }
    }
  }

  #entry(orgId: string): Counts {
    const now = Date.now();
    // The day's string is computed once a day, not per request.
    if (now >= this.#day.until) {
      const today = new Date(now);
      this.#day = { value: utcDayOf(today), until: nextUtcDay(today).getTime() };
    }
    return this.#entryFor(orgId, this.#day.value);
  }

  #entryFor(orgId: string, day: string): Counts {
    const key = `${orgId}|${day}`;
    let entry = this.#counts.get(key);
    if (!entry) {
      entry = { orgId, day, emails: 0, apiCalls: 0 };
      this.#counts.set(key, entry);
    }
    return entry;
  }
}
