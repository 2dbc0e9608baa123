import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env.ts";
import type { RateDecision } from "./leased-rate-limiter.ts";
import { rateLimitError, setRateLimitHeaders } from "./rate-limit-headers.ts";

/**
 * After authentication, on every protected route: counts the call for GET /usage, then takes
 * a token of the caller's (key or person) and of the organization's buckets (RATE_LIMIT_PER_KEY,
 * RATE_LIMIT_PER_ORG), answering 429 `rate_limit_exceeded` when either is empty. Every
 * answer carries the rate-limit headers.
 */
export const limitRequests = createMiddleware<AppEnv>(async (c, next) => {
  const { deps, principal } = c.var;
  deps.usage.countApiCall(principal.orgId);
  const { perKey, perOrg } = deps.config.rateLimits;
  const decisions: RateDecision[] = [];
  // A signed-in person has the same per-caller budget as a key.
  if (perKey) {
    const caller =
      principal.kind === "api_key" ? `key:${principal.apiKeyId}` : `user:${principal.userId}`;
    decisions.push(await deps.rateLimiter.take(`req:${caller}`, perKey));
  }
  // A request the key's limit refused takes nothing from the organization's.
  if (perOrg && decisions.every((decision) => decision.allowed)) {
    decisions.push(await deps.rateLimiter.take(`req:org:${principal.orgId}`, perOrg));
  }
  if (decisions.length > 0) {
    setRateLimitHeaders(c, decisions);
    const refused = decisions.find((decision) => !decision.allowed);
    if (refused) throw rateLimitError(refused);
  }
  await next();
});
