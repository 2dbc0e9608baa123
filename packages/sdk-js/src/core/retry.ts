/**
 * When a failed attempt is tried again, and after how long: openai-python's and Stripe's
 * policy. Pure functions, so the client's loop stays readable and the policy testable.
 */

export interface RetryPolicy {
  maxRetries: number;
  /** First backoff ceiling; it doubles with each retry up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After above this is cut down to it: a client should not sleep for an hour. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 2,
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/** Why an attempt failed: an answer, or none at all. */
export type AttemptFailure =
  | { kind: "status"; status: number; errorName: string | undefined }
  | { kind: "connection" }
  | { kind: "timeout" };

/**
 * Whether a failure is worth another attempt. `replaySafe` says the operation may run twice
 * without harm (a read, an idempotent write, or a POST with an Idempotency-Key): only then are
 * the failures retried after which the server may have done the work (5xx, a cut connection,
 * a timeout). 408 and 429 mean the request was not processed, so they are always retried.
 */
export function isRetryable(failure: AttemptFailure, replaySafe: boolean): boolean {
  if (failure.kind !== "status") return replaySafe;
  const { status, errorName } = failure;
  if (status === 408 || status === 429) return true;
  // The same key is still being processed: asking again later gets its answer. Any other 409
  // (another body under the key, a state that forbids the operation) will not change.
  if (status === 409) return errorName === "concurrent_idempotent_requests";
  if (status >= 500) return replaySafe && status !== 501 && status !== 505;
  return false;
}

/**
 * The wait before retry number `retry` (0 for the first): the server's Retry-After when it
 * gave one (capped), else exponential backoff with full jitter (a uniform draw below the
 * doubling ceiling), which spreads out clients that failed together.
 */
export function retryDelayMs(
  retry: number,
  retryAfterMs: number | undefined,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/**
 * Retry-After in milliseconds: `retry-after-ms` (openai's), else Retry-After as seconds or as
 * an HTTP date. Undefined when absent or unreadable, so the backoff applies.
 */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Number(ms);
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  // HTTP dates start with the day's name; Date.parse alone would take "-1" for a year.
  const date = /^[A-Za-z]/.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
