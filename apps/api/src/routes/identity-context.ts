import type { Context } from "hono";
import type { AppEnv } from "../lib/app-env.ts";
import { auditOrigin } from "../lib/audit-origin.ts";
import { sessionTimeouts } from "../lib/auth.ts";
import { clientIp } from "../lib/client-ip.ts";
import { AppError } from "../lib/errors.ts";
import { csrfTokenFor, setSessionCookies } from "../lib/session-cookie.ts";
import type { IdentityContext } from "../services/auth/identity-context.ts";
import { sessionView } from "../services/auth/session-view.ts";
import type { MemberActor } from "../services/members/members.ts";
import { type ActiveSession, findSession, type NewSession } from "../services/sessions/sessions.ts";

/** The identity services' context of a request: its time, settings and client. */
export function identityContext(c: Context<AppEnv>): IdentityContext {
  const { deps } = c.var;
  // Unset on the routes open to anyone (sign-in, password reset...).
  const session = c.get("session") as ActiveSession | undefined;
  return {
    db: deps.database.db,
    now: deps.clock(),
    settings: deps.config.identity,
    timeouts: sessionTimeouts(c),
    publicUrl: deps.config.publicUrl,
    mail: { from: deps.config.identity.systemEmailFrom, maxAttempts: deps.config.emailMaxAttempts },
    secrets: deps.secrets,
    client: { ip: clientIp(c), userAgent: c.req.header("user-agent") ?? null },
    audit: auditOrigin(c, session ? { type: "user", id: session.userId } : undefined),
    securityEvents: deps.securityEvents,
  };
}

/** The signed-in member acting on their organization (routes behind `requires`). */
export function memberActor(c: Context<AppEnv>): MemberActor {
  const { principal, deps } = c.var;
  if (principal.kind !== "session") {
    // `requires` gives these routes' permissions to no API key; this is a second lock.
    throw new AppError("restricted_api_key", "API keys cannot do this");
  }
  return {
    db: deps.database.db,
    orgId: principal.orgId,
    userId: principal.userId,
    role: principal.role,
    audit: auditOrigin(c),
    permissions: principal.permissions,
  };
}

/** Sets the cookies of a new (or rotated) session; answers what GET /auth/session shows. */
export async function startSession(c: Context<AppEnv>, session: NewSession) {
  const { deps } = c.var;
  const now = deps.clock();
  const csrfToken = csrfTokenFor(deps.csrfKey, session.id);
  setSessionCookies(c, {
    token: session.token,
    csrfToken,
    absoluteExpiresAt: session.absoluteExpiresAt,
    now,
  });
  const active = await findSession(deps.database.db, session.token, now);
  if (!active) throw new AppError("invalid_session", "Your session has ended: sign in again");
  return sessionView({
    ctx: { db: deps.database.db, roles: deps.roles },
    session: active,
    csrfToken,
  });
}
