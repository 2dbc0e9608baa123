import { performance } from "node:perf_hooks";
import { safeFetch } from "../../lib/safe-fetch.ts";
import { SafeFetchError, type SafeFetchErrorCode } from "../../lib/safe-fetch-error.ts";
import type { SsrfGuard } from "../../lib/ssrf-guard.ts";

/** What an attempt keeps of the endpoint's answer. */
export const RESPONSE_EXCERPT_BYTES = 1024;
/**
 * What is read of it: enough to drain usual answers so the keep-alive connection is reused,
 * little enough that an endpoint answering megabytes costs nothing (the rest is cut off).
 */
const READ_LIMIT_BYTES = 64 * 1024;

/** One HTTP attempt: the endpoint's answer, or why there was none. */
export interface HttpAttempt {
  /** null when no answer came (timeout, connection failure, refused address). */
  statusCode: number | null;
  /** The first KiB of the answer, or what went wrong in words fit for the endpoint's owner. */
  response: string;
  latencyMs: number;
  /** The answer's Retry-After header. */
  retryAfter?: string;
  /** Why no answer came. */
  error?: SafeFetchErrorCode;
  /** For our logs only: may name an internal address or a socket error. */
  reason?: string;
}

/**
 * POSTs a signed message through the SSRF guard (addresses checked at connect time, the
 * guard's keep-alive pool). Redirects are not followed: a 3xx is the endpoint's answer, and a
 * failure, as with Svix; following it would let an endpoint send its messages elsewhere.
 */
export async function postWebhook(input: {
  url: string;
  body: string;
  headers: Record<string, string>;
  guard: SsrfGuard;
  timeoutMs: number;
}): Promise<HttpAttempt> {
  const started = performance.now();
  try {
    const response = await safeFetch(input.url, {
      method: "POST",
      headers: input.headers,
      body: input.body,
      guard: input.guard,
      timeoutMs: input.timeoutMs,
      maxBytes: READ_LIMIT_BYTES,
      truncate: true,
      maxRedirects: 0,
    });
    const latencyMs = Math.round(performance.now() - started);
    const text = excerpt(response.body);
    const redirect = response.status >= 300 && response.status < 400;
    const retryAfter = response.headers["retry-after"];
    return {
      statusCode: response.status,
      response: redirect ? `Redirects are not followed${text ? `: ${text}` : ""}` : text,
      latencyMs,
      ...(retryAfter ? { retryAfter } : {}),
    };
  } catch (error) {
    if (!(error instanceof SafeFetchError)) throw error;
    return {
      statusCode: null,
      // The message names no address (lib/safe-fetch-error.ts); the reason may, so it is not kept.
      response: error.message,
      latencyMs: Math.round(performance.now() - started),
      error: error.code,
      reason: error.reason,
    };
  }
}

/** The answer's first KiB as text. PostgreSQL's text cannot hold NUL, so those go. */
export function excerpt(body: Buffer): string {
  return body.subarray(0, RESPONSE_EXCERPT_BYTES).toString("utf8").replaceAll("\u0000", "");
}
