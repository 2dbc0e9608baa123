import { AppError } from "../../lib/errors.ts";
import { actingAs, recordUserAudit, userTarget } from "../audit/user-audit.ts";
import { type LockoutPolicy, recordLoginFailure } from "../users/login-throttle.ts";
import type { IdentityContext } from "./identity-context.ts";

export function lockoutPolicy(ctx: Pick<IdentityContext, "settings">): LockoutPolicy {
  return {
    threshold: ctx.settings.lockoutThreshold,
    baseMs: ctx.settings.lockoutBaseMs,
    maxMs: ctx.settings.lockoutMaxMs,
  };
}

export function lockedError(until: Date, now: Date): AppError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new AppError(
    "account_locked",
    `Too many failed attempts: try again in ${seconds} seconds, or reset your password`,
  );
}

/** What a failed attempt was: a password at sign-in, or a second-factor code. */
export interface FailedAttempt {
  email: string;
  /** The account of `email`; null when it has none (nothing is recorded, the same way). */
  userId: string | null;
  action: "user.sign_in_failed" | "user.mfa_verify_failed";
  /** Why and where: never the password or the code tried. */
  details: Record<string, unknown>;
}

/**
 * Counts a failed password or code towards the account's lockout and audits it, with the
 * lock it sets (`user.locked`), in one transaction. The same statements run for an email
 * without an account, so the answer takes as long.
 */
export async function recordFailedAttempt(
  ctx: IdentityContext,
  attempt: FailedAttempt,
): Promise<void> {
  const origin = actingAs(ctx.audit, attempt.userId);
  const target = attempt.userId ? userTarget(attempt.userId) : undefined;
  await ctx.db.transaction(async (tx) => {
    const until = await recordLoginFailure(tx, attempt.email, ctx.now, lockoutPolicy(ctx));
    await recordUserAudit(tx, origin, attempt.userId, {
      action: attempt.action,
      target,
      details: attempt.details,
    });
    if (until) {
      await recordUserAudit(tx, origin, attempt.userId, {
        action: "user.locked",
        target,
        details: { until: until.toISOString(), after: attempt.action },
      });
    }
  });
}

/**
 * An attempt on a locked account changes nothing: a throttled security event, written
 * without holding up the answer (so it takes as long as for an email without an account).
 */
export function auditLockedAttempt(
  ctx: IdentityContext,
  attempt: Omit<FailedAttempt, "email" | "userId"> & { userId: string },
): void {
  const origin = actingAs(ctx.audit, attempt.userId);
  void ctx.securityEvents.recordWith(
    `${attempt.action}:locked:${attempt.userId}:${origin.ip ?? ""}`,
    attempt.action,
    (db) =>
      recordUserAudit(db, origin, attempt.userId, {
        action: attempt.action,
        target: userTarget(attempt.userId),
        details: { ...attempt.details, reason: "account_locked" },
      }),
  );
}
