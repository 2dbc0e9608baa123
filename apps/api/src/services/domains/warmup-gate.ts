import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { domainDailySends, domains } from "../../db/schema/index.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

export type WarmupAdmission =
  | { admitted: true }
  /** Over the day's allowance: the email waits for `nextDay` (the next UTC midnight). */
  | { admitted: false; allowance: number; nextDay: Date };

/** Midnight UTC of the day `at` falls on. */
export function utcDayStart(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

/**
 * A new domain's daily allowance while it warms up: mailbox providers distrust a domain that
 * starts sending at volume, so its messages per UTC day follow `schedule` (day 1 first) from
 * its warm-up start, then are unlimited. Counts are shared by every worker through
 * domain_daily_sends, taken before sending with one conditional upsert: two workers can never
 * both take the last place of the day.
 *
 * A message counts when it is handed over, whatever the answer: a deferral spends its place
 * (erring on the side of sending fewer, which is the point of warming up).
 */
export class WarmupGate {
  readonly #db: Db;
  readonly #schedule: readonly number[];
  readonly #clock: () => Date;
  /** Warm-up starts, which never change once set. */
  readonly #starts = new Map<string, Date>();

  constructor(db: Db, schedule: readonly number[], options: { clock?: () => Date } = {}) {
    this.#db = db;
    this.#schedule = schedule;
    this.#clock = options.clock ?? (() => new Date());
  }

  /** Takes `messages` places in the domain's allowance for today, or says when to come back. */
  async admit(domainId: string, messages: number): Promise<WarmupAdmission> {
    const now = this.#clock();
    const today = utcDayStart(now);
    const start = utcDayStart(await this.#startOf(domainId));
    const day = Math.max(0, Math.round((today.getTime() - start.getTime()) / DAY_MS));
    const allowance = this.#schedule[day];
    if (allowance === undefined) return { admitted: true };

    // A fresh day always admits its first email, even one with more recipients than the whole
    // allowance: otherwise it could never be sent.
    const admitted = await this.#db
      .insert(domainDailySends)
      .values({ domainId, day: today.toISOString().slice(0, 10), sent: messages })
      .onConflictDoUpdate({
        target: [domainDailySends.domainId, domainDailySends.day],
        set: { sent: sql`${domainDailySends.sent} + ${messages}` },
        setWhere: sql`${domainDailySends.sent} + ${messages} <= ${allowance}`,
      })
      .returning({ sent: domainDailySends.sent });
    if (admitted.length > 0) return { admitted: true };
    return { admitted: false, allowance, nextDay: new Date(today.getTime() + DAY_MS) };
  }

  /**
   * The domain's warm-up start: set when it was first verified (check-domain.ts), or now, by
   * its first send, for a domain verified before warm-ups existed.
   */
  async #startOf(domainId: string): Promise<Date> {
    const known = this.#starts.get(domainId);
    if (known) return known;
    const [row] = await this.#db
      .update(domains)
      .set({ warmupStartedAt: sql`coalesce(${domains.warmupStartedAt}, now())` })
      .where(eq(domains.id, domainId))
      .returning({ start: domains.warmupStartedAt });
    // A domain deleted meanwhile: its email fails on its own account (email_send.ts).
    const start = row?.start ?? this.#clock();
    if (this.#starts.size > 10_000) this.#starts.clear();
    this.#starts.set(domainId, start);
    return start;
  }
}
