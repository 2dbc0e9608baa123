/** The retry policy's pure half: what is retried, how long the waits are, Retry-After. */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_RETRY_POLICY,
  isRetryable,
  parseRetryAfter,
  retryDelayMs,
} from "../src/core/retry.ts";

const status = (code: number, errorName?: string) =>
  ({ kind: "status", status: code, errorName }) as const;

describe("isRetryable", () => {
  it("retries what was not processed, whatever the operation", () => {
    for (const replaySafe of [true, false]) {
      expect(isRetryable(status(408), replaySafe)).toBe(true);
      expect(isRetryable(status(429, "rate_limit_exceeded"), replaySafe)).toBe(true);
      expect(isRetryable(status(409, "concurrent_idempotent_requests"), replaySafe)).toBe(true);
    }
  });

  it("retries what may have been processed only when running twice is harmless", () => {
    for (const failure of [status(500), status(502), status(503), status(504)]) {
      expect(isRetryable(failure, true)).toBe(true);
      expect(isRetryable(failure, false)).toBe(false);
    }
    expect(isRetryable({ kind: "connection" }, true)).toBe(true);
    expect(isRetryable({ kind: "connection" }, false)).toBe(false);
    expect(isRetryable({ kind: "timeout" }, true)).toBe(true);
    expect(isRetryable({ kind: "timeout" }, false)).toBe(false);
  });

  it("never retries answers that will not change", () => {
    for (const failure of [
      status(400, "invalid_idempotency_key"),
      status(401, "missing_api_key"),
      status(403, "invalid_api_key"),
      status(404, "not_found"),
      status(409, "invalid_idempotent_request"),
      status(409, "invalid_state"),
      status(413, "payload_too_large"),
      status(422, "validation_error"),
      status(501),
    ]) {
      expect(isRetryable(failure, true), JSON.stringify(failure)).toBe(false);
    }
  });
});

describe("retryDelayMs", () => {
  const policy = { ...DEFAULT_RETRY_POLICY, initialDelayMs: 500, maxDelayMs: 8000 };

  it("draws below a ceiling that doubles up to the maximum (full jitter)", () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6].map((retry) =>
      retryDelayMs(retry, undefined, policy, () => 0.9999),
    );
    expect(ceilings).toEqual([499, 999, 1999, 3999, 7999, 7999, 7999]);
    expect(retryDelayMs(3, undefined, policy, () => 0)).toBe(0);
    expect(retryDelayMs(3, undefined, policy, () => 0.5)).toBe(2000);
  });

  it("takes the server's Retry-After instead, capped", () => {
    expect(retryDelayMs(0, 1500, policy, () => 0)).toBe(1500);
    expect(retryDelayMs(0, 3_600_000, policy)).toBe(DEFAULT_RETRY_POLICY.maxRetryAfterMs);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-30T10:00:00Z");
  it("reads seconds, an HTTP date and retry-after-ms", () => {
    expect(parseRetryAfter(new Headers({ "retry-after": "3" }), now)).toBe(3000);
    expect(parseRetryAfter(new Headers({ "retry-after": "0.5" }), now)).toBe(500);
    expect(
      parseRetryAfter(new Headers({ "retry-after": "Mon, 30 Nov 2026 10:00:07 GMT" }), now),
    ).toBe(7000);
    expect(
      parseRetryAfter(new Headers({ "retry-after": "Mon, 30 Nov 2026 09:00:00 GMT" }), now),
    ).toBe(0);
    expect(parseRetryAfter(new Headers({ "retry-after-ms": "250", "retry-after": "9" }), now)).toBe(
      250,
    );
  });

  it("ignores what it cannot read", () => {
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ "retry-after": "-1" }), now)).toBeUndefined();
  });
});
