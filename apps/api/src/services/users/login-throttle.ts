import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { loginThrottles } from "../../db/schema/index.ts";
import { sha256Hex } from "../../lib/hash.ts";

export interface LockoutPolicy {
  /** Failures in a row before the first lock. */
  threshold: number;
  /** The first lock; each further failure doubles it, up to `maxMs`. */
  baseMs: number;
  maxMs: number;
}

/** Failures older than this no longer count: four typos a month apart must not lock anyone. */
const FORGET_AFTER = "1 day";

const keyOf = (email: string) => sha256Hex(normalizeEmail(email));

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Until when the account of `email` is locked, if it is at `now`. */
export async function lockedUntil(db: Pick<Db, "select">, email: string, now: Date) {
  const [row] = await db
    .select({ lockedUntil: loginThrottles.lockedUntil })
    .from(loginThrottles)
    .where(eq(loginThrottles.emailHash, keyOf(email)));
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
}

/**
 * Counts a failed password or code for `email`, known or not (the same rows, the same
 * answers). From the threshold on, each failure locks the account: baseMs, then twice as
 * long each time, up to maxMs. Answers the lock it set, if any.
 */
export async function recordLoginFailure(
  db: Pick<Db, "execute">,
  email: string,
  now: Date,
  policy: LockoutPolicy,
): Promise<Date | null> {
  const rows = await db.execute<{ failures: number }>(sql`
    insert into login_throttles (email_hash, failures, last_failure_at)
    values (${keyOf(email)}, 1, ${now.toISOString()}::timestamptz)
    on conflict (email_hash) do update set
      failures = case
        when login_throttles.last_failure_at < ${now.toISOString()}::timestamptz - interval '${sql.raw(FORGET_AFTER)}'
        then 1 else login_throttles.failures + 1 end,
      last_failure_at = excluded.last_failure_at
    returning failures`);
  const failures = Number(rows[0]?.failures ?? 1);
  if (failures < policy.threshold) return null;
  const exponent = Math.min(failures - policy.threshold, 30);
  const until = new Date(now.getTime() + Math.min(policy.maxMs, policy.baseMs * 2 ** exponent));
  await db.execute(
    sql`update login_throttles set locked_until = ${until.toISOString()}::timestamptz where email_hash = ${keyOf(email)}`,
  );
  return until;
}

/** A successful sign-in (or password reset) clears the account's failures. */
export async function clearLoginFailures(db: Pick<Db, "delete">, email: string): Promise<void> {
  await db.delete(loginThrottles).where(eq(loginThrottles.emailHash, keyOf(email)));
}
