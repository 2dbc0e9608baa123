import { AppError } from "../../lib/errors.ts";
import { userOrganizations } from "../members/user-organizations.ts";
import type { ActiveSession } from "../sessions/sessions.ts";
import { findUser, userView } from "../users/users.ts";
import type { IdentityContext } from "./identity-context.ts";

/** GET /auth/session: who is signed in, where, and the CSRF token of their changes. */
export async function sessionView({
  ctx,
  session,
  csrfToken,
}: {
  ctx: Pick<IdentityContext, "db">;
  session: Pick<
    ActiveSession,
    "id" | "userId" | "orgId" | "mfaVerified" | "mfaEnabled" | "idleExpiresAt" | "absoluteExpiresAt"
  >;
  csrfToken: string;
}) {
  const [user, organizations] = await Promise.all([
    findUser(ctx.db, session.userId),
    userOrganizations(ctx.db, session.userId),
  ]);
  if (!user) throw new AppError("invalid_session", "Your session has ended: sign in again");
  const active = organizations.find((org) => org.id === session.orgId) ?? null;
  return {
    object: "session" as const,
    id: session.id,
    user: userView(user),
    organization: active,
    organizations,
    mfa_required: session.mfaEnabled && !session.mfaVerified,
    csrf_token: csrfToken,
    idle_expires_at: session.idleExpiresAt.toISOString(),
    expires_at: session.absoluteExpiresAt.toISOString(),
  };
}
