import type { Context } from "hono";
import { AppError } from "./errors.ts";
import type { RateDecision } from "./leased-rate-limiter.ts";

/** The policy a client should pace itself by: a refusing one, else the one closest to empty. */
export function bindingDecision(decisions: readonly RateDecision[]): RateDecision | undefined {
  let binding: RateDecision | undefined;
  for (const decision of decisions) {
    if (!binding) binding = decision;
    else if (!decision.allowed && binding.allowed) binding = decision;
    else if (
      decision.allowed === binding.allowed &&
      decision.remaining / decision.policy.burst < binding.remaining / binding.policy.burst
    ) {
      binding = decision;
    }
  }
  return binding;
}

/** A token bucket as the IETF fields see it: `burst` requests per window of refill. */
const windowOf = (decision: RateDecision) =>
  Math.max(1, Math.ceil(decision.policy.burst / decision.policy.ratePerSecond));

/**
 * Resend's fields (`ratelimit-limit`, `ratelimit-remaining`, `ratelimit-reset`, and
 * `retry-after` on a 429) for the binding policy, and the IETF draft's `RateLimit-Policy` and
 * `RateLimit` (draft-ietf-httpapi-ratelimit-headers) for each of them.
 */
export function setRateLimitHeaders(c: Context, decisions: readonly RateDecision[]): void {
  const binding = bindingDecision(decisions);
  if (!binding) return;
  c.header("ratelimit-limit", String(binding.policy.burst));
  c.header("ratelimit-remaining", String(binding.remaining));
  c.header("ratelimit-reset", String(binding.resetSeconds));
  c.header(
    "ratelimit-policy",
    decisions.map((d) => `"${d.policy.name}";q=${d.policy.burst};w=${windowOf(d)}`).join(", "),
  );
  c.header(
    "ratelimit",
    decisions.map((d) => `"${d.policy.name}";r=${d.remaining};t=${d.resetSeconds}`).join(", "),
  );
  if (!binding.allowed) c.header("retry-after", String(binding.retryAfterSeconds));
}

export function rateLimitError(decision: RateDecision): AppError {
  const { policy } = decision;
  return new AppError(
    "rate_limit_exceeded",
    `Too many requests: the ${policy.name} limit is ${policy.ratePerSecond} requests per second (bursts of ${policy.burst}). Retry after ${decision.retryAfterSeconds} s.`,
  );
}
