import { AppError } from "../../lib/errors.ts";
import { userOrganizations } from "../members/user-organizations.ts";
import { createSession, type NewSession, revokeSession } from "../sessions/sessions.ts";
import {
  clearLoginFailures,
  type LockoutPolicy,
  lockedUntil,
  recordLoginFailure,
} from "../users/login-throttle.ts";
import { verifyPassword } from "../users/passwords.ts";
import { findUserByEmail } from "../users/users.ts";
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

/**
 * Email and password to a session. Whether the email has an account, the answers are the
 * same (401 invalid_credentials, then 429 account_locked after repeated failures) and take as
 * long (one argon2 verification either way). A user with MFA gets a session that can only
 * verify its code (`mfaRequired`). The session the browser had before, if any, is revoked:
 * a new sign-in always gets a new session id.
 */
export async function signIn({
  ctx,
  input,
  previousSessionId,
}: {
  ctx: IdentityContext;
  input: { email: string; password: string };
  previousSessionId?: string | undefined;
}): Promise<NewSession & { mfaRequired: boolean }> {
  const [locked, user] = await Promise.all([
    lockedUntil(ctx.db, input.email, ctx.now),
    findUserByEmail(ctx.db, input.email),
  ]);
  const valid = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (locked) throw lockedError(locked, ctx.now);
  if (!user || !valid) {
    await recordLoginFailure(ctx.db, input.email, ctx.now, lockoutPolicy(ctx));
    throw new AppError("invalid_credentials", "Wrong email or password");
  }
  const mfaRequired = user.mfaEnabledAt !== null;
  if (!mfaRequired) await clearLoginFailures(ctx.db, input.email);
  const [first] = await userOrganizations(ctx.db, user.id);
  if (previousSessionId) await revokeSession(ctx.db, previousSessionId, ctx.now);
  const session = await createSession(ctx.db, {
    userId: user.id,
    orgId: first?.id ?? null,
    mfaVerified: false,
    ...ctx.client,
    now: ctx.now,
    // A session waiting for its code lasts minutes, not hours.
    timeouts: mfaRequired
      ? { idleMs: ctx.settings.mfaChallengeMs, absoluteMs: ctx.settings.mfaChallengeMs }
      : ctx.timeouts,
  });
  return { ...session, mfaRequired };
}
