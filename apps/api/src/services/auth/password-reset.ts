import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { users, userTokens } from "../../db/schema/index.ts";
import { AppError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { actingAs, recordUserAudit, userTarget } from "../audit/user-audit.ts";
import { revokeUserSessions } from "../sessions/sessions.ts";
import { sendSystemEmail } from "../system-mail/send-system-email.ts";
import { passwordResetEmail } from "../system-mail/templates.ts";
import { hashLinkToken, issueLinkToken } from "../users/link-tokens.ts";
import { clearLoginFailures } from "../users/login-throttle.ts";
import { hashPassword } from "../users/passwords.ts";
import { findUserByEmail } from "../users/users.ts";
import type { IdentityContext } from "./identity-context.ts";

/**
 * Emails a single-use reset link when the email has an account (audited in its
 * organizations); does nothing otherwise. The caller answers 202 either way, so the answer
 * does not tell which.
 */
export async function requestPasswordReset({
  ctx,
  email,
}: {
  ctx: IdentityContext;
  email: string;
}) {
  const user = await findUserByEmail(ctx.db, email);
  if (!user) return;
  const { token, hash } = issueLinkToken();
  const expiresAt = new Date(ctx.now.getTime() + ctx.settings.passwordResetMs);
  await ctx.db.transaction(async (tx) => {
    await tx.insert(userTokens).values({
      id: newId(),
      userId: user.id,
      purpose: "password_reset",
      tokenHash: hash,
      expiresAt,
      createdAt: ctx.now,
    });
    const link = `${ctx.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
    await sendSystemEmail(
      tx,
      ctx.mail,
      passwordResetEmail({ to: user.email, link, expiresAt }),
      ctx.now,
    );
    await recordUserAudit(tx, actingAs(ctx.audit, user.id), user.id, {
      action: "user.password_reset_requested",
      target: userTarget(user.id),
      details: { expires_at: expiresAt.toISOString() },
    });
  });
}

/**
 * Sets the new password from a reset link. The link works once; every session of the user
 * ends (whoever knew the old password is out), the other reset links die, the lockout is
 * lifted, and the address counts as verified (the link reached it).
 */
export async function confirmPasswordReset({
  ctx,
  token,
  password,
}: {
  ctx: IdentityContext;
  token: string;
  password: string;
}) {
  const passwordHash = await hashPassword(password);
  return ctx.db.transaction(async (tx) => {
    const [used] = await tx
      .update(userTokens)
      .set({ usedAt: ctx.now })
      .where(
        and(
          eq(userTokens.tokenHash, hashLinkToken(token)),
          eq(userTokens.purpose, "password_reset"),
          isNull(userTokens.usedAt),
          gt(userTokens.expiresAt, ctx.now),
        ),
      )
      .returning({ userId: userTokens.userId });
    if (!used) throw new AppError("invalid_token", "This reset link is unknown, used or expired");
    const [user] = await tx
      .update(users)
      .set({
        passwordHash,
        updatedAt: ctx.now,
        emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${ctx.now.toISOString()}::timestamptz)`,
      })
      .where(eq(users.id, used.userId))
      .returning({ email: users.email });
    await tx
      .update(userTokens)
      .set({ usedAt: ctx.now })
      .where(
        and(
          eq(userTokens.userId, used.userId),
          eq(userTokens.purpose, "password_reset"),
          isNull(userTokens.usedAt),
        ),
      );
    await revokeUserSessions(tx, used.userId, ctx.now);
    if (user) await clearLoginFailures(tx, user.email);
    await recordUserAudit(tx, actingAs(ctx.audit, used.userId), used.userId, {
      action: "user.password_reset_completed",
      target: userTarget(used.userId),
      details: { sessions_revoked: true },
    });
    return { object: "password_reset" as const, reset: true as const };
  });
}
