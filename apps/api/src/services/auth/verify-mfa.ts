import { AppError } from "../../lib/errors.ts";
import { recordUserAudit, userTarget } from "../audit/user-audit.ts";
import { type ActiveSession, type NewSession, rotateSession } from "../sessions/sessions.ts";
import type { IdentityContext } from "./identity-context.ts";
import { checkSecondFactor, userOrFail } from "./mfa.ts";

/**
 * The second step of a sign-in with MFA: a TOTP or recovery code turns the waiting session
 * into a full one, under a new id and token, with a full lifetime from now. The sign-in is
 * audited here, with the session it gives.
 */
export async function verifyMfa({
  ctx,
  session,
  code,
}: {
  ctx: IdentityContext;
  session: ActiveSession;
  code: string;
}): Promise<NewSession> {
  if (!session.mfaEnabled || session.mfaVerified) {
    throw new AppError("invalid_state", "This session is not waiting for a second factor");
  }
  const user = await userOrFail(ctx.db, session.userId);
  const factor = await checkSecondFactor(ctx, user, code, "sign_in");
  return ctx.db.transaction(async (tx) => {
    const rotated = await rotateSession(tx, session, {
      now: ctx.now,
      timeouts: ctx.timeouts,
      mfaVerified: true,
      ...ctx.client,
      absoluteExpiresAt: new Date(ctx.now.getTime() + ctx.timeouts.absoluteMs),
    });
    await recordUserAudit(tx, ctx.audit, user.id, {
      action: "user.signed_in",
      target: userTarget(user.id),
      details: { method: "password", second_factor: factor, session_id: rotated.id },
    });
    return rotated;
  });
}
