import { AppError } from "../../lib/errors.ts";
import { type ActiveSession, type NewSession, rotateSession } from "../sessions/sessions.ts";
import type { IdentityContext } from "./identity-context.ts";
import { checkSecondFactor, userOrFail } from "./mfa.ts";

/**
 * The second step of a sign-in with MFA: a TOTP or recovery code turns the waiting session
 * into a full one, under a new id and token, with a full lifetime from now.
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
  await checkSecondFactor(ctx, user, code);
  return rotateSession(ctx.db, session, {
    now: ctx.now,
    timeouts: ctx.timeouts,
    mfaVerified: true,
    ...ctx.client,
    absoluteExpiresAt: new Date(ctx.now.getTime() + ctx.timeouts.absoluteMs),
  });
}
