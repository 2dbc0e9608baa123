import type { Context } from "hono";
import type { AuditOrigin } from "../services/audit/record-audit.ts";
import type { AppEnv } from "./app-env.ts";
import { clientIp } from "./client-ip.ts";

/** Longest user agent kept in the audit log: a client chooses it, the log stores it. */
const USER_AGENT_MAX = 512;

/**
 * Who is acting in this request and from where, for the audit log: the authenticated
 * principal (or `actor`, for a request without one, e.g. a refused sign-in), the client's
 * address, its user agent and the request id.
 */
export function auditOrigin(c: Context<AppEnv>, actor?: AuditOrigin["actor"]): AuditOrigin {
  const principal = c.var.principal;
  return {
    actor: actor ?? (principal ? actorOf(principal) : { type: "system", id: null }),
    ip: clientIp(c),
    userAgent: c.req.header("user-agent")?.slice(0, USER_AGENT_MAX) ?? null,
    requestId: c.var.requestId ?? null,
  };
}

/** An API key acts as itself; a signed-in person (a `session` principal) as `user`. */
function actorOf(principal: AppEnv["Variables"]["principal"]): AuditOrigin["actor"] {
  return principal.kind === "session"
    ? { type: "user", id: principal.userId }
    : { type: "api_key", id: principal.apiKeyId };
}
