import { notFound } from "../../lib/errors.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { userTarget } from "../audit/user-audit.ts";
import { userOrganizations } from "../members/user-organizations.ts";
import { type ActiveSession, type NewSession, rotateSession } from "../sessions/sessions.ts";
import type { IdentityContext } from "./identity-context.ts";

/**
 * Makes another of the user's organizations the session's: a change of privileges, so the
 * session is rotated. 404 for an organization they are not a member of. Audited in the
 * organization entered (the one left is not told where its member went).
 */
export async function switchOrganization({
  ctx,
  session,
  orgId,
}: {
  ctx: IdentityContext;
  session: ActiveSession;
  orgId: string;
}): Promise<NewSession> {
  const organizations = await userOrganizations(ctx.db, session.userId);
  if (!organizations.some((org) => org.id === orgId)) throw notFound("Organization");
  return ctx.db.transaction(async (tx) => {
    const rotated = await rotateSession(tx, session, {
      now: ctx.now,
      timeouts: ctx.timeouts,
      orgId,
      ...ctx.client,
    });
    await recordAudit(tx, ctx.audit, {
      orgId,
      action: "user.organization_switched",
      target: userTarget(session.userId),
      details: { session_id: rotated.id },
    });
    return rotated;
  });
}
