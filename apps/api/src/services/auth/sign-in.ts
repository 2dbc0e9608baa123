import { AppError } from "../../lib/errors.ts";
import { actingAs, recordUserAudit, userTarget } from "../audit/user-audit.ts";
import { userOrganizations } from "../members/user-organizations.ts";
import { createSession, type NewSession, revokeSession } from "../sessions/sessions.ts";
import { clearLoginFailures, lockedUntil } from "../users/login-throttle.ts";
import { verifyPassword } from "../users/passwords.ts";
import { findUserByEmail } from "../users/users.ts";
import type { IdentityContext } from "./identity-context.ts";
import { auditLockedAttempt, lockedError, recordFailedAttempt } from "./lockout.ts";

/**
 * Email and password to a session. Whether the email has an account, the answers are the
 * same (401 invalid_credentials, then 429 account_locked after repeated failures) and take as
 * long (one argon2 verification either way). A user with MFA gets a session that can only
 * verify its code (`mfaRequired`): their sign-in is audited once the code is (verify-mfa.ts).
 * The session the browser had before, if any, is revoked: a new sign-in always gets a new
 * session id.
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
  const details = { method: "password" };
  if (locked) {
    if (user) auditLockedAttempt(ctx, { userId: user.id, action: "user.sign_in_failed", details });
    throw lockedError(locked, ctx.now);
  }
  if (!user || !valid) {
    await recordFailedAttempt(ctx, {
      email: input.email,
      userId: user?.id ?? null,
      action: "user.sign_in_failed",
      details: { ...details, reason: "invalid_credentials" },
    });
    throw new AppError("invalid_credentials", "Wrong email or password");
  }
  const mfaRequired = user.mfaEnabledAt !== null;
  return ctx.db.transaction(async (tx) => {
    if (!mfaRequired) await clearLoginFailures(tx, input.email);
    const [first] = await userOrganizations(tx, user.id);
    if (previousSessionId) await revokeSession(tx, previousSessionId, ctx.now);
    const session = await createSession(tx, {
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
    if (!mfaRequired) {
      await recordUserAudit(tx, actingAs(ctx.audit, user.id), user.id, {
        action: "user.signed_in",
        target: userTarget(user.id),
        details: { ...details, session_id: session.id },
      });
    }
    return { ...session, mfaRequired };
  });
}
