import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AuthenticatedKey } from "../services/api-keys/authenticate-api-key.ts";
import type { AppEnv } from "./app-env.ts";
import { auditOrigin } from "./audit-origin.ts";
import { clientIp } from "./client-ip.ts";
import { AppError } from "./errors.ts";
import { ipAllowed } from "./ip-allow-list.ts";
import type { Permission } from "./permissions.ts";
import { principalOfKey } from "./principal.ts";
import { checkRequestSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "./request-signature.ts";

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Resolves the bearer API key: 401 missing_api_key without one, 403 invalid_api_key if unknown
 * or expired, 403 ip_not_allowed from an address outside its allowed_ips, 401
 * invalid_request_signature when its organization requires signed requests and this one is not.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
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
  await next();
});

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

/** 401 restricted_api_key when the key lacks the route's permission, as Resend answers. */
export function requirePermission(permission: Permission) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!c.var.principal.permissions.has(permission)) {
      throw new AppError(
        "restricted_api_key",
        permission === "emails:send"
          ? "This API key cannot send emails"
          : "This API key is restricted to only send emails",
      );
    }
    await next();
  });
}
