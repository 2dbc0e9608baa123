import { eq } from "drizzle-orm";
import type { Db, Sql } from "../../db/client.ts";
import { organizations, type Plan } from "../../db/schema/index.ts";
import { AppError } from "../../lib/errors.ts";
import { nextUtcDay, nextUtcMonth, utcDayOf } from "./utc-periods.ts";

/** Emails an organization of a plan may send per UTC day and month; null: no limit. */
export interface PlanQuota {
  daily: number | null;
  monthly: number | null;
}

export type PlanQuotas = Record<Plan, PlanQuota>;

interface Local {
  day: string;
  /** When `day` ends (ms): its unused reservations are worth nothing after. */
  dayEndsAt: number;
  /** Emails reserved in the database and not used yet by this process. */
  tokens: number;
  /** What the quotas had left after our last lease (for the next lease's size). */
  left: number;
  /** Refused until the period ends: no lease is asked for meanwhile. */
  exhausted: "daily" | "monthly" | null;
  exhaustedUntil: number;
  /** Leases of one organization are taken one at a time. */
  queue: Promise<unknown>;
}

export interface QuotaGateOptions {
  /** How long an organization's plan is trusted without reading it again. */
  planTtlMs?: number;
  /** A lease takes this share of what is left (so leases shrink as the quota runs out). */
  leaseShare?: number;
  maxLease?: number;
}

/**
 * The daily and monthly send quotas of the organization's plan (config), counted per email
 * whatever its number of recipients, as Resend counts, when the email is accepted (a
 * scheduled email counts on the day it was accepted).
 *
 * No query per request: each process reserves emails in leases (quota_reservations, one
 * row per organization and UTC day, a month being the sum of its days) and spends them
 * locally. A lease takes `leaseShare` of what is left, at most `maxLease`: large while the
 * quota is far, one email at a time at its very end. Reservations are made under the day
 * row's lock, so the emails accepted never exceed a quota; the emails a process reserved
 * and did not use (it stopped, the day ended) are the error the other way, at most one
 * lease per process.
 */
export class QuotaGate {
  readonly #sql: Sql;
  readonly #db: Db;
  readonly #quotas: PlanQuotas;
  readonly #planTtlMs: number;
  readonly #leaseShare: number;
  readonly #maxLease: number;
  readonly #enabled: boolean;
  readonly #plans = new Map<string, { plan: Plan; until: number }>();
  readonly #locals = new Map<string, Local>();

  constructor(sql: Sql, db: Db, quotas: PlanQuotas, options: QuotaGateOptions = {}) {
    this.#sql = sql;
    this.#db = db;
    this.#quotas = quotas;
    this.#planTtlMs = options.planTtlMs ?? 60_000;
    this.#leaseShare = options.leaseShare ?? 0.05;
    this.#maxLease = options.maxLease ?? 1000;
    this.#enabled = Object.values(quotas).some((q) => q.daily !== null || q.monthly !== null);
  }

  /** The quotas of `orgId`'s plan. */
  async quotaOf(orgId: string): Promise<{ plan: Plan; quota: PlanQuota }> {
    const plan = await this.#planOf(orgId);
    return { plan, quota: this.#quotas[plan] };
  }

  /**
   * Takes `count` emails of the organization's quotas, or throws 429 daily_quota_exceeded /
   * monthly_quota_exceeded (all or nothing: a batch that does not fit is refused whole).
   */
  async take(orgId: string, count: number): Promise<void> {
    if (!this.#enabled || count <= 0) return;
    const { quota } = await this.quotaOf(orgId);
    if (quota.daily === null && quota.monthly === null) return;
    const local = this.#local(orgId);
    const now = Date.now();
    if (local.tokens >= count && now < local.dayEndsAt) {
      local.tokens -= count;
      return;
    }
    if (local.exhausted && now < local.exhaustedUntil) {
      throw quotaError(local.exhausted, quota, new Date(now));
    }
    const leased = local.queue.then(() => this.#takeLeasing(orgId, quota, local, count));
    local.queue = leased.catch(() => {});
    await leased;
  }

  /** Gives back emails taken for a request that then failed: this process uses them next. */
  giveBack(orgId: string, count: number): void {
    const local = this.#locals.get(orgId);
    if (local && Date.now() < local.dayEndsAt) local.tokens += count;
  }

  async #takeLeasing(orgId: string, quota: PlanQuota, local: Local, count: number) {
    const now = new Date();
    const day = utcDayOf(now);
    if (local.day !== day) {
      Object.assign(local, {
        day,
        dayEndsAt: nextUtcDay(now).getTime(),
        tokens: 0,
        left: Number.POSITIVE_INFINITY,
      });
    }
    // Another lease may have come in while this one waited its turn.
    if (local.tokens >= count) {
      local.tokens -= count;
      return;
    }
    const needed = count - local.tokens;
    const share = Number.isFinite(local.left) ? Math.ceil(local.left * this.#leaseShare) : 0;
    const want = Math.max(needed, Math.min(this.#maxLease, share || this.#initialLease(quota)));
    const result = await this.#reserve(orgId, day, quota, want, needed);
    if (result.granted === 0) {
      if (result.exhausted) {
        local.exhausted = result.binding;
        local.exhaustedUntil = (
          result.binding === "daily" ? nextUtcDay(now) : nextUtcMonth(now)
        ).getTime();
      }
      throw quotaError(result.binding, quota, now);
    }
    local.tokens += result.granted - count;
    local.left = result.left;
  }

  #initialLease(quota: PlanQuota): number {
    const smallest = Math.min(quota.daily ?? Infinity, quota.monthly ?? Infinity);
    return Math.max(1, Math.ceil(smallest * this.#leaseShare));
  }

  /**
   * Reserves up to `want` emails (at least `needed`, or none) in one transaction under the
   * day row's lock: the no-op upsert creates or locks it and reads the day's and the month's
   * reservations, so concurrent leases of any process are serialized.
   */
  async #reserve(orgId: string, day: string, quota: PlanQuota, want: number, needed: number) {
    return this.#sql.begin(async (tx) => {
      const [row] = await tx<{ today: string; earlier: string }[]>`
        insert into quota_reservations as q (org_id, day, reserved) values (${orgId}, ${day}, 0)
        on conflict (org_id, day) do update set reserved = q.reserved
        returning q.reserved as today, (
          select coalesce(sum(reserved), 0) from quota_reservations
          where org_id = ${orgId} and day >= date_trunc('month', ${day}::date) and day < ${day}::date
        ) as earlier`;
      const today = Number(row?.today ?? 0);
      const month = today + Number(row?.earlier ?? 0);
      const dayLeft = quota.daily === null ? Infinity : quota.daily - today;
      const monthLeft = quota.monthly === null ? Infinity : quota.monthly - month;
      const binding: "daily" | "monthly" = dayLeft <= monthLeft ? "daily" : "monthly";
      const left = Math.min(dayLeft, monthLeft);
      if (left < needed) return { granted: 0, binding, exhausted: left <= 0, left };
      const granted = Math.min(want, left);
      await tx`update quota_reservations set reserved = reserved + ${granted}
        where org_id = ${orgId} and day = ${day}`;
      return { granted, binding, exhausted: false, left: left - granted };
    });
  }

  async #planOf(orgId: string): Promise<Plan> {
    const now = Date.now();
    const cached = this.#plans.get(orgId);
    if (cached && cached.until > now) return cached.plan;
    const [row] = await this.#db
      .select({ plan: organizations.plan })
      .from(organizations)
      .where(eq(organizations.id, orgId));
    const plan = row?.plan ?? "free";
    if (this.#plans.size >= 100_000) this.#plans.clear();
    this.#plans.set(orgId, { plan, until: now + this.#planTtlMs });
    return plan;
  }

  #local(orgId: string): Local {
    let local = this.#locals.get(orgId);
    if (!local) {
      const now = new Date();
      local = {
        day: utcDayOf(now),
        dayEndsAt: nextUtcDay(now).getTime(),
        tokens: 0,
        left: Number.POSITIVE_INFINITY,
        exhausted: null,
        exhaustedUntil: 0,
        queue: Promise.resolve(),
      };
      if (this.#locals.size >= 100_000) this.#locals.clear();
      this.#locals.set(orgId, local);
    }
    return local;
  }
}

function quotaError(binding: "daily" | "monthly", quota: PlanQuota, now: Date): AppError {
  const resetsAt = binding === "daily" ? nextUtcDay(now) : nextUtcMonth(now);
  const error = new AppError(
    binding === "daily" ? "daily_quota_exceeded" : "monthly_quota_exceeded",
    `You have reached your ${binding} email quota (${binding === "daily" ? quota.daily : quota.monthly} emails); it resets at ${resetsAt.toISOString()}`,
  );
  error.headers = {
    "retry-after": String(Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000))),
  };
  return error;
}
