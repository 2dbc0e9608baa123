import { setTimeout as sleep } from "node:timers/promises";
import type { Sql } from "../db/client.ts";

/**
 * Reserves `n` tokens of a bucket in one atomic statement and answers the tokens left, which
 * may be negative: the bucket lends against its refill, and a reservation that took it below
 * zero is due once the refill has paid the debt back (-tokens / rate seconds from now). Callers
 * thus queue in the order their reservations committed, each waiting exactly its turn, with
 * no polling and no retry loop. The refill is computed from the row's last update with the
 * database's clock, the same for every process. The first use of a key creates its row, full.
 *
 * An INSERT ... ON CONFLICT DO UPDATE is one UPDATE of the existing row under its row lock:
 * concurrent reservations from any number of processes serialize on it, none is lost.
 */
const RESERVE = `
  insert into rate_buckets as bucket (key, tokens, refilled_at)
  values ($1, $2::float8 - $3::float8, clock_timestamp())
  on conflict (key) do update set
    tokens = least(
      $2::float8,
      bucket.tokens
        + greatest(0, extract(epoch from clock_timestamp() - bucket.refilled_at)) * $4::float8
    ) - $3::float8,
    refilled_at = greatest(bucket.refilled_at, clock_timestamp())
  returning tokens`;

export async function reserveTokens(
  sql: Sql,
  bucket: { key: string; capacity: number; ratePerSecond: number },
  count: number,
): Promise<number> {
  const [row] = await sql.unsafe<{ tokens: number }[]>(
    RESERVE,
    [bucket.key, bucket.capacity, count, bucket.ratePerSecond],
    { prepare: true },
  );
  return Number(row?.tokens ?? 0);
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

interface KeyQueue {
  waiters: Waiter[];
  ratePerSecond: number;
  pumping: boolean;
}

export interface SharedRateLimiterOptions {
  /** Sending time one reservation covers at most; see `leaseSize`. Default 0.05 s. */
  leaseSeconds?: number;
  /** Largest lease. Default 50. */
  maxLease?: number;
}

/**
 * Send-rate limits that hold across every worker process together: a token bucket per key in
 * PostgreSQL (rate_buckets), whose capacity is one second of sending, so a burst after a
 * quiet spell is at most a second's worth.
 *
 * Tokens are taken in small leases: requests waiting in this process for the same key share
 * one reservation of up to `leaseSize` tokens. One row update per lease instead of per message
 * keeps the bucket's row lock uncontended at high rates (about 1/leaseSeconds updates per
 * second per process, whatever the send rate), while a lease never exceeds the requests
 * waiting now: tokens are never held for later, so a process that stops loses none and cannot
 * burst with old ones.
 */
export class SharedRateLimiter {
  readonly #sql: Sql;
  readonly #leaseSeconds: number;
  readonly #maxLease: number;
  readonly #queues = new Map<string, KeyQueue>();

  constructor(sql: Sql, options: SharedRateLimiterOptions = {}) {
    this.#sql = sql;
    this.#leaseSeconds = options.leaseSeconds ?? 0.05;
    this.#maxLease = options.maxLease ?? 50;
  }

  /** Resolves when one message may go out under `key`'s rate; waits while the bucket is empty. */
  take(key: string, ratePerSecond: number): Promise<void> {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) return Promise.resolve();
    let queue = this.#queues.get(key);
    if (!queue) {
      queue = { waiters: [], ratePerSecond, pumping: false };
      this.#queues.set(key, queue);
    }
    // The newest setting wins: a provider's rate changed since is seen by its next sends.
    queue.ratePerSecond = ratePerSecond;
    const taken = new Promise<void>((resolve, reject) => queue.waiters.push({ resolve, reject }));
    if (!queue.pumping) void this.#pump(key, queue);
    return taken;
  }

  leaseSize(ratePerSecond: number): number {
    return Math.max(1, Math.min(this.#maxLease, Math.floor(ratePerSecond * this.#leaseSeconds)));
  }

  async #pump(key: string, queue: KeyQueue): Promise<void> {
    queue.pumping = true;
    try {
      while (queue.waiters.length > 0) {
        const rate = queue.ratePerSecond;
        const lease = Math.min(queue.waiters.length, this.leaseSize(rate));
        const tokens = await reserveTokens(
          this.#sql,
          { key, capacity: Math.max(1, rate), ratePerSecond: rate },
          lease,
        );
        if (tokens < 0) await sleep((-tokens / rate) * 1000);
        for (const waiter of queue.waiters.splice(0, lease)) waiter.resolve();
      }
    } catch (error) {
      // The database failed: every waiter fails (its send is retried), none waits forever.
      for (const waiter of queue.waiters.splice(0)) waiter.reject(error);
    } finally {
      queue.pumping = false;
      if (queue.waiters.length === 0) this.#queues.delete(key);
    }
  }
}
