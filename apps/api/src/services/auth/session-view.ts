import { AppError } from "../../lib/errors.ts";
import { sortedPermissions } from "../../lib/permissions.ts";
import { userOrganizations } from "../members/user-organizations.ts";
import type { RoleCache } from "../roles/role-cache.ts";
import type { ActiveSession } from "../sessions/sessions.ts";
import { findUser, userView } from "../users/users.ts";
import type { IdentityContext } from "./identity-context.ts";

/**
 * GET /auth/session: who is signed in, where, what their role there lets them do (for a
 * console to show only what will be allowed), and the CSRF token of their changes.
 */
export async function sessionView({
  ctx,
  session,
  csrfToken,
}: {
  ctx: Pick<IdentityContext, "db"> & { roles: Pick<RoleCache, "permissionsOf"> };
  session: Pick<
    ActiveSession,
    | "id"
    | "userId"
    | "orgId"
    | "role"
    | "mfaVerified"
    | "mfaEnabled"
    | "idleExpiresAt"
    | "absoluteExpiresAt"
  >;
  csrfToken: string;
}) {
  const mfaRequired = session.mfaEnabled && !session.mfaVerified;
  const [user, organizations, permissions] = await Promise.all([
    findUser(ctx.db, session.userId),
    userOrganizations(ctx.db, session.userId),
    // Nothing is allowed before the second factor, nor without an organization.
    session.orgId && session.role && !mfaRequired
      ? ctx.roles.permissionsOf(session.orgId, session.role)
      : new Set<never>(),
  ]);
  if (!user) throw new AppError("invalid_session", "Your session has ended: sign in again");
  const active = organizations.find((org) => org.id === session.orgId) ?? null;
  return {
    object: "session" as const,
    id: session.id,
    user: userView(user),
    organization: active,
    organizations,
    permissions: sortedPermissions(permissions),
    mfa_required: mfaRequired,
    csrf_token: csrfToken,
    idle_expires_at: session.idleExpiresAt.toISOString(),
    expires_at: session.absoluteExpiresAt.toISOString(),
  };
}
