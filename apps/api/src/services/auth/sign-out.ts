import { recordUserAudit, userTarget } from "../audit/user-audit.ts";
import { type ActiveSession, revokeSession } from "../sessions/sessions.ts";
import type { IdentityContext } from "./identity-context.ts";

/** Ends a session, audited with the revocation (in each of the person's organizations). */
export async function signOut({
  ctx,
  session,
}: {
  ctx: IdentityContext;
  session: Pick<ActiveSession, "id" | "userId">;
}): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await revokeSession(tx, session.id, ctx.now);
    await recordUserAudit(tx, ctx.audit, session.userId, {
      action: "user.signed_out",
      target: userTarget(session.userId),
      details: { session_id: session.id },
    });
  });
}
