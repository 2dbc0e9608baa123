import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AuthenticatedKey } from "../services/api-keys/authenticate-api-key.ts";
import {
  type ActiveSession,
  findSession,
  rotateSession,
  SessionGone,
  touchSession,
} from "../services/sessions/sessions.ts";
import type { AppEnv } from "./app-env.ts";
import { auditOrigin } from "./audit-origin.ts";
import { clientIp } from "./client-ip.ts";
import { AppError } from "./errors.ts";
import { ipAllowed } from "./ip-allow-list.ts";
import { PEOPLE_ONLY, type Permission } from "./permissions.ts";
import { type ApiKeyPrincipal, principalOfKey, principalOfSession } from "./principal.ts";
import { checkRequestSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "./request-signature.ts";
import {
  CSRF_HEADER,
  clearSessionCookies,
  csrfTokenFor,
  csrfTokenMatches,
  isSafeMethod,
  readSessionCookie,
  setSessionCookies,
} from "./session-cookie.ts";

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Resolves the caller. `Authorization: Bearer <API key>` first, exactly as before: 401
 * missing_api_key without any credential, 403 invalid_api_key for an unknown key, no CSRF
 * token (a key is never sent by a browser on its own); an expired key is invalid too, 403
 * ip_not_allowed from an address outside its allowed_ips, 401 invalid_request_signature when
 * its organization requires signed requests and this one is not. Otherwise the console's session cookie
 * (authenticateSession), acting for its active organization with its member's role.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.header("authorization") !== undefined || !readSessionCookie(c)) {
    await authenticateKey(c);
    return next();
  }
  const session = await sessionOf(c, { allowPendingMfa: false });
  if (!session.orgId || !session.role) {
    throw new AppError(
      "forbidden",
      "You are not a member of an organization: create one, accept an invitation, or switch organization",
    );
  }
  c.set(
    "principal",
    principalOfSession({
      userId: session.userId,
      sessionId: session.id,
      orgId: session.orgId,
      role: session.role,
      permissions: await c.var.deps.roles.permissionsOf(session.orgId, session.role),
    }),
  );
  await next();
});

/**
 * For the operations on one's own account (/auth/...): a session only. A valid API key gets
 * 401 restricted_api_key, an invalid one 403 invalid_api_key, as on every other route.
 */
export function authenticateSession(options: { allowPendingMfa?: boolean } = {}) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.header("authorization") !== undefined || !readSessionCookie(c)) {
      await authenticateKey(c);
      throw new AppError(
        "restricted_api_key",
        "This operation is for people signed in to the console, not for API keys",
      );
    }
    await sessionOf(c, { allowPendingMfa: options.allowPendingMfa ?? false });
    await next();
  });
}

async function authenticateKey(c: Context<AppEnv>): Promise<void> {
  const header = c.req.header("authorization");
  if (!header) throw new AppError("missing_api_key", "Missing API key in the authorization header");
  const token = BEARER.exec(header)?.[1];
  const key = token ? await c.var.deps.authenticator.authenticate(token) : null;
  if (!key) throw new AppError("invalid_api_key", "API key is invalid");
  if (key.expiresAt !== null && key.expiresAt <= Date.now()) {
    throw new AppError(
      "invalid_api_key",
      `API key is invalid: it expired at ${new Date(key.expiresAt).toISOString()}`,
    );
  }
  if (key.allowedIps) checkAllowedIp(c, key, key.allowedIps);
  if (key.signing) await checkSignature(c, key);
  c.set("principal", principalOfKey(key));
}

function checkAllowedIp(
  c: Context<AppEnv>,
  key: AuthenticatedKey,
  allowed: NonNullable<AuthenticatedKey["allowedIps"]>,
): void {
  const ip = clientIp(c);
  if (ipAllowed(ip, allowed.cidrs)) return;
  const where = ip ?? "an unknown address";
  void c.var.deps.securityEvents.record(
    auditOrigin(c, { type: "api_key", id: key.id }),
    {
      orgId: key.orgId,
      action: "api_key.ip_refused",
      target: { type: "api_key", id: key.id },
      details: { ip: where, allowed_ips: allowed.text },
    },
    `ip:${key.id}:${where}`,
  );
  throw new AppError(
    "ip_not_allowed",
    `This API key cannot be used from ${where}: it is limited to ${allowed.text.join(", ")}`,
  );
}

async function checkSignature(c: Context<AppEnv>, key: AuthenticatedKey): Promise<void> {
  const signing = key.signing;
  if (!signing) return;
  const now = Date.now();
  const secrets = [signing.current];
  if (signing.previous && (signing.previousExpiresAt ?? 0) > now) secrets.push(signing.previous);
  const url = new URL(c.req.url);
  const method = c.req.method;
  const body = method === "GET" || method === "HEAD" ? "" : await c.req.text();
  const check = checkRequestSignature({
    secrets,
    method,
    pathAndQuery: url.pathname + url.search,
    body,
    timestamp: c.req.header(TIMESTAMP_HEADER),
    signature: c.req.header(SIGNATURE_HEADER),
    nowMs: now,
  });
  const refuse = (reason: string): never => {
    void c.var.deps.securityEvents.record(
      auditOrigin(c, { type: "api_key", id: key.id }),
      {
        orgId: key.orgId,
        action: "request_signature.refused",
        target: { type: "api_key", id: key.id },
        details: { reason, method, path: url.pathname },
      },
      `signature:${key.id}`,
    );
    throw new AppError("invalid_request_signature", reason);
  };
  if (!check.ok) return refuse(check.reason);
  const first = await c.var.deps.signatureReplays.firstUse(
    key.orgId,
    check.request,
    check.timestamp,
  );
  if (!first) {
    return refuse(
      "This signed request was already received: sign each request anew, with its own timestamp",
    );
  }
}

/**
 * The session of the cookie, checked: alive (401 invalid_session otherwise, and the cookies
 * are cleared), the CSRF token on unsafe methods (403 invalid_csrf_token), MFA done (403
 * mfa_required). A session marked for rotation is swapped for a new one here, on its first
 * use after the change of privileges.
 */
async function sessionOf(
  c: Context<AppEnv>,
  options: { allowPendingMfa: boolean },
): Promise<ActiveSession> {
  const { deps } = c.var;
  const now = deps.clock();
  const token = readSessionCookie(c) ?? "";
  let session = await findSession(deps.database.db, token, now);
  if (!session) {
    clearSessionCookies(c);
    throw new AppError("invalid_session", "Your session has ended: sign in again");
  }
  if (
    !isSafeMethod(c.req.method) &&
    !csrfTokenMatches(deps.csrfKey, session.id, c.req.header(CSRF_HEADER))
  ) {
    throw new AppError(
      "invalid_csrf_token",
      "Missing or wrong X-CSRF-Token header: send the csrf_token of GET /auth/session",
    );
  }
  if (session.mfaEnabled && !session.mfaVerified && !options.allowPendingMfa) {
    throw new AppError("mfa_required", "Verify your second factor first (POST /auth/mfa/verify)");
  }
  const timeouts = sessionTimeouts(c);
  if (session.rotationRequired) {
    try {
      const rotated = await rotateSession(deps.database.db, session, {
        now,
        timeouts,
        ip: clientIp(c),
        userAgent: c.req.header("user-agent"),
      });
      setSessionCookies(c, {
        token: rotated.token,
        csrfToken: csrfTokenFor(deps.csrfKey, rotated.id),
        absoluteExpiresAt: rotated.absoluteExpiresAt,
        now,
      });
      session = { ...session, id: rotated.id, rotationRequired: false, lastSeenAt: now };
    } catch (error) {
      if (!(error instanceof SessionGone)) throw error;
      throw new AppError("invalid_session", "Your session has ended: sign in again");
    }
  } else {
    await touchSession(deps.database.db, session, now, timeouts);
  }
  c.set("session", session);
  return session;
}

export function sessionTimeouts(c: Context<AppEnv>) {
  const { identity } = c.var.deps.config;
  return { idleMs: identity.sessionIdleMs, absoluteMs: identity.sessionAbsoluteMs };
}

/**
 * The route's permission: 401 restricted_api_key for an API key without it, as Resend
 * answers; 403 forbidden for a member whose role lacks it.
 */
export function requirePermission(permission: Permission) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const { principal } = c.var;
    if (principal.permissions.has(permission)) return next();
    if (principal.kind === "session") {
      throw new AppError(
        "forbidden",
        `Your role (${principal.role}) does not allow this: it needs the ${permission} permission`,
      );
    }
    throw new AppError("restricted_api_key", keyRefusal(principal.keyPermission, permission));
  });
}

function keyRefusal(kind: ApiKeyPrincipal["keyPermission"], permission: Permission): string {
  if (kind === "sending_access") return "This API key is restricted to only send emails";
  if (PEOPLE_ONLY.has(permission)) {
    return "API keys cannot do this: sign in to the console as a member with the permission";
  }
  return `This API key does not have the ${permission} permission`;
}

/**
 * The session of a route open to anyone that acts differently for a signed-in person
 * (accepting an invitation): null without a session cookie, checked like any session with one.
 */
export async function optionalSession(c: Context<AppEnv>): Promise<ActiveSession | null> {
  if (!readSessionCookie(c)) return null;
  return sessionOf(c, { allowPendingMfa: false });
}
