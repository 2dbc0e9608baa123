import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env.ts";
import { clientIp } from "./client-ip.ts";
import { rateLimitError, setRateLimitHeaders } from "./rate-limit-headers.ts";

/** The per-address policies of config.rateLimits: `public` endpoints and `sign_in`. */
export type IpPolicy = "public" | "sign_in";

/**
 * A per-client-address limit for endpoints without an API key, shared by every API process
 * like the key limits (lib/leased-rate-limiter.ts). The address is lib/client-ip.ts's: the
 * socket's peer, or X-Forwarded-For's first entry with TRUST_PROXY.
 *
 * `refuse` (default) answers 429 `rate_limit_exceeded` with Retry-After. `flag` lets the
 * request through with `c.var.overIpLimit` set, for endpoints whose answer a person needs
 * whatever happens (a click redirect, the open pixel) and whose cost is what they record.
 *
 * For the sign-in routes: `app.use("/auth/sign-in", limitByIp("sign_in"))` or put
 * `limitByIp("sign_in")` in the route's `middleware` (RATE_LIMIT_SIGN_IN_PER_MINUTE).
 */
export function limitByIp(policyName: IpPolicy, mode: "refuse" | "flag" = "refuse") {
  return createMiddleware<AppEnv>(async (c, next) => {
    const { config, rateLimiter } = c.var.deps;
    const policy =
      policyName === "sign_in" ? config.rateLimits.signInPerIp : config.rateLimits.perIp;
    if (!policy) return next();
    const ip = clientIp(c) ?? "unknown";
    const decision = await rateLimiter.take(`ip:${policyName}:${ip}`, policy);
    if (!decision.allowed) {
      if (mode === "flag") {
        c.set("overIpLimit", true);
        return next();
      }
      setRateLimitHeaders(c, [decision]);
      throw rateLimitError(decision);
    }
    await next();
  });
}
