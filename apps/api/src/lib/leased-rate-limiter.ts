import type { Sql } from "../db/client.ts";
import type { Logger } from "./logger.ts";
import { reserveTokens } from "./shared-rate-limit.ts";

/** A token bucket: `ratePerSecond` tokens a second, up to `burst` saved up. */
export interface RatePolicy {
  /** Names the policy in the RateLimit-Policy and RateLimit fields. */
  name: string;
  ratePerSecond: number;
  burst: number;
}

export interface RateDecision {
  policy: RatePolicy;
  allowed: boolean;
  /** Tokens left (approximate across processes: this process's lease plus the bucket as last seen). */
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds until the next token, when refused. */
  retryAfterSeconds: number;
}

export interface LeasedRateLimiterOptions {
  /** A lease covers this much of the rate: rate × leaseSeconds tokens (1 to maxLease). */
  leaseSeconds?: number;
  maxLease?: number;
  /** Tokens of a lease not used within this time are dropped, never saved up. */
  leaseTtlMs?: number;
  /** Buckets this process keeps local state for; the least recently added go first. */
  maxKeys?: number;
  logger?: Logger;
}

interface Local {
  /** Tokens of the current lease not used yet. */
  tokens: number;
  leaseExpiresAt: number;
  /** The bucket's tokens after our last lease. */
  bucketTokens: number;
  /** The bucket was empty: refuse without asking until then. */
  deniedUntil: number;
  refill: Promise<void> | null;
  waiting: number;
}

/** Leases tried for one request before it is refused (others took what they brought). */
const MAX_LEASES_PER_TAKE = 4;

/**
 * Request limits that hold across every API process: one token bucket per key in PostgreSQL
 * (rate_buckets, lib/shared-rate-limit.ts), read by no request on the hot path. Each process
 * takes tokens from a bucket in leases of up to rate × leaseSeconds tokens (at least the
 * requests waiting for one) and spends them locally, so a bucket costs about
 * 1/leaseSeconds statements a second per busy process whatever the request rate; a refused
 * client costs one statement per token it waits for, not one per request.
 *
 * The limit holds within one lease per process: tokens are taken from the shared bucket
 * before they are spent, so the requests admitted in any interval are at most the bucket's
 * (burst + rate × interval) plus, per process, the unused part of a lease taken just before
 * the interval began (a lease lives `leaseTtlMs` at most). The other way, a process may be
 * refused while another still holds a few unused tokens of its lease.
 *
 * A database failure admits the request (and is logged): a limit must not take the API down
 * with the database it protects.
 */
export class LeasedRateLimiter {
  readonly #sql: Sql;
  readonly #leaseSeconds: number;
  readonly #maxLease: number;
  readonly #leaseTtlMs: number;
  readonly #maxKeys: number;
  readonly #logger: Logger | undefined;
  readonly #locals = new Map<string, Local>();

  constructor(sql: Sql, options: LeasedRateLimiterOptions = {}) {
    this.#sql = sql;
    this.#leaseSeconds = options.leaseSeconds ?? 0.1;
    this.#maxLease = options.maxLease ?? 500;
    this.#leaseTtlMs = options.leaseTtlMs ?? 1000;
    this.#maxKeys = options.maxKeys ?? 100_000;
    this.#logger = options.logger;
  }

  leaseSize(policy: RatePolicy): number {
    return Math.max(
      1,
      Math.min(this.#maxLease, policy.burst, Math.ceil(policy.ratePerSecond * this.#leaseSeconds)),
    );
  }

  /** Takes one token of `key`'s bucket: synchronously while the local lease lasts. */
  take(key: string, policy: RatePolicy): RateDecision | Promise<RateDecision> {
    const local = this.#local(key);
    const now = Date.now();
    if (local.tokens >= 1 && now < local.leaseExpiresAt) {
      local.tokens -= 1;
      return this.#decision(policy, local, true, now);
    }
    if (now < local.deniedUntil) return this.#decision(policy, local, false, now);
    return this.#leaseAndTake(key, policy, local);
  }

  async #leaseAndTake(key: string, policy: RatePolicy, local: Local): Promise<RateDecision> {
    local.waiting++;
    try {
      for (let attempt = 0; attempt < MAX_LEASES_PER_TAKE; attempt++) {
        if (!local.refill) {
          local.refill = this.#lease(key, policy, local).finally(() => {
            local.refill = null;
          });
        }
        const leased = await local.refill.then(
          () => true,
          (error: unknown) => {
            this.#logger?.warn({ err: error, bucket: key }, "rate limit unavailable: admitted");
            return false;
          },
        );
        const now = Date.now();
        if (!leased) return this.#decision(policy, local, true, now);
        if (local.tokens >= 1 && now < local.leaseExpiresAt) {
          local.tokens -= 1;
          return this.#decision(policy, local, true, now);
        }
        if (now < local.deniedUntil) return this.#decision(policy, local, false, now);
      }
      return this.#decision(policy, local, false, Date.now());
    } finally {
      local.waiting--;
    }
  }

  async #lease(key: string, policy: RatePolicy, local: Local): Promise<void> {
    const bucket = { key, capacity: policy.burst, ratePerSecond: policy.ratePerSecond };
    const want = Math.min(policy.burst, Math.max(this.leaseSize(policy), local.waiting));
    let left = await reserveTokens(this.#sql, bucket, want);
    let granted = want;
    if (left < 0) {
      // The bucket lends against its refill; a limit refuses instead: give back what it lacked.
      const available = left + want;
      granted = Math.max(0, Math.floor(available));
      await reserveTokens(this.#sql, bucket, granted - want);
      left = available - granted;
    }
    const now = Date.now();
    local.tokens = (now < local.leaseExpiresAt ? local.tokens : 0) + granted;
    local.leaseExpiresAt = now + this.#leaseTtlMs;
    local.bucketTokens = Math.max(0, left);
    if (granted === 0) {
      local.deniedUntil = now + Math.ceil(((1 - left) / policy.ratePerSecond) * 1000);
    }
  }

  #local(key: string): Local {
    let local = this.#locals.get(key);
    if (local) return local;
    if (this.#locals.size >= this.#maxKeys) this.#evictOne();
    local = {
      tokens: 0,
      leaseExpiresAt: 0,
      bucketTokens: 0,
      deniedUntil: 0,
      refill: null,
      waiting: 0,
    };
    this.#locals.set(key, local);
    return local;
  }

  /** Forgets the oldest idle bucket: its tokens are only this process's lease. */
  #evictOne(): void {
    for (const [key, local] of this.#locals) {
      if (local.refill === null && local.waiting === 0) {
        this.#locals.delete(key);
        return;
      }
    }
  }

  #decision(policy: RatePolicy, local: Local, allowed: boolean, now: number): RateDecision {
    const held = now < local.leaseExpiresAt ? local.tokens : 0;
    const remaining = Math.max(0, Math.min(policy.burst, Math.floor(held + local.bucketTokens)));
    return {
      policy,
      allowed,
      remaining: allowed ? remaining : 0,
      resetSeconds: Math.max(
        allowed ? 0 : 1,
        Math.ceil((policy.burst - (allowed ? remaining : 0)) / policy.ratePerSecond),
      ),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((local.deniedUntil - now) / 1000)),
    };
  }
}
