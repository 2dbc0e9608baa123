import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env.ts";
import { AppError } from "./errors.ts";
import type { Permission } from "./permissions.ts";
import { principalOfKey } from "./principal.ts";

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** Resolves the bearer API key: 401 missing_api_key without one, 403 invalid_api_key if unknown. */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization");
  if (!header) throw new AppError("missing_api_key", "Missing API key in the authorization header");
  const token = BEARER.exec(header)?.[1];
  const key = token ? await c.var.deps.authenticator.authenticate(token) : null;
  if (!key) throw new AppError("invalid_api_key", "API key is invalid");
  c.set("principal", principalOfKey(key));
  await next();
});

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
