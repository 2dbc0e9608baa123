import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { users, userTokens } from "../../db/schema/index.ts";
import { AppError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { actingAs, recordUserAudit, userTarget } from "../audit/user-audit.ts";
import { sendSystemEmail } from "../system-mail/send-system-email.ts";
import { verificationEmail } from "../system-mail/templates.ts";
import { hashLinkToken, issueLinkToken } from "../users/link-tokens.ts";
import type { IdentityContext } from "./identity-context.ts";

const VERIFICATION_MS = 7 * 24 * 3_600_000;

/** Emails a link that confirms the address, on the caller's transaction. */
export async function sendVerificationEmail(
  tx: Pick<Db, "insert" | "execute">,
  ctx: Pick<IdentityContext, "now" | "publicUrl" | "mail">,
  user: { id: string; email: string },
): Promise<void> {
  const { token, hash } = issueLinkToken();
  await tx.insert(userTokens).values({
    id: newId(),
    userId: user.id,
    purpose: "email_verification",
    tokenHash: hash,
    expiresAt: new Date(ctx.now.getTime() + VERIFICATION_MS),
    createdAt: ctx.now,
  });
  const link = `${ctx.publicUrl}/verify-email?token=${encodeURIComponent(token)}`;
  await sendSystemEmail(tx, ctx.mail, verificationEmail({ to: user.email, link }), ctx.now);
}

/** Marks the address of the link's user verified; 400 invalid_token for a used or old link. */
export async function verifyEmail({ ctx, token }: { ctx: IdentityContext; token: string }) {
  return ctx.db.transaction(async (tx) => {
    const [used] = await tx
      .update(userTokens)
      .set({ usedAt: ctx.now })
      .where(
        and(
          eq(userTokens.tokenHash, hashLinkToken(token)),
          eq(userTokens.purpose, "email_verification"),
          isNull(userTokens.usedAt),
          gt(userTokens.expiresAt, ctx.now),
        ),
      )
      .returning({ userId: userTokens.userId });
    if (!used) throw new AppError("invalid_token", "This link is unknown, used or expired");
    const [user] = await tx
      .update(users)
      .set({ emailVerifiedAt: ctx.now })
      .where(eq(users.id, used.userId))
      .returning({ email: users.email });
    await recordUserAudit(tx, actingAs(ctx.audit, used.userId), used.userId, {
      action: "user.email_verified",
      target: userTarget(used.userId),
      details: { email: user?.email },
    });
    return { object: "email_verification" as const, verified: true as const };
  });
}
