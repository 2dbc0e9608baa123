import { describe, expect, it } from "vitest";
import {
  DEFAULT_DELIVERY_POLICY,
  maxAttempts,
  retryAfterMs,
  retryDelayMs,
  SVIX_RETRY_SCHEDULE_MS,
} from "./policy.ts";

const HOUR = 3_600_000;

describe("the retry schedule", () => {
  it("is Svix's: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h", () => {
    expect(SVIX_RETRY_SCHEDULE_MS).toEqual([
      5000,
      300_000,
      1_800_000,
      2 * HOUR,
      5 * HOUR,
      10 * HOUR,
      10 * HOUR,
    ]);
    expect(maxAttempts(DEFAULT_DELIVERY_POLICY)).toBe(8);
  });

  it("moves each delay by at most 20% either way", () => {
    const policy = DEFAULT_DELIVERY_POLICY;
    expect(retryDelayMs(policy, 1, () => 0)).toBe(4000);
    expect(retryDelayMs(policy, 1, () => 0.5)).toBe(5000);
    expect(retryDelayMs(policy, 1, () => 0.999_999)).toBe(6000);
    expect(retryDelayMs(policy, 7, () => 0)).toBe(8 * HOUR);
    for (let i = 0; i < 100; i++) {
      const delay = retryDelayMs(policy, 3) ?? 0;
      expect(delay).toBeGreaterThanOrEqual(1_440_000);
      expect(delay).toBeLessThanOrEqual(2_160_000);
    }
  });

  it("has nothing after the 8th attempt", () => {
    expect(retryDelayMs(DEFAULT_DELIVERY_POLICY, 8)).toBeNull();
    expect(retryDelayMs({ ...DEFAULT_DELIVERY_POLICY, retryScheduleMs: [] }, 1)).toBeNull();
  });
});

describe("Retry-After", () => {
  const now = new Date("2026-11-30T12:00:00Z");
  it("reads delay-seconds", () => {
    expect(retryAfterMs("120", now, HOUR)).toBe(120_000);
    expect(retryAfterMs(" 0 ", now, HOUR)).toBe(0);
    expect(retryAfterMs(["30", "60"], now, HOUR)).toBe(30_000);
  });

  it("reads an HTTP date; a past one means now", () => {
    expect(retryAfterMs("Mon, 30 Nov 2026 12:05:00 GMT", now, HOUR)).toBe(300_000);
    expect(retryAfterMs("Mon, 30 Nov 2026 11:00:00 GMT", now, HOUR)).toBe(0);
  });

  it("is capped", () => {
    expect(retryAfterMs("86400", now, 10 * HOUR)).toBe(10 * HOUR);
    expect(retryAfterMs("Tue, 01 Dec 2026 23:00:00 GMT", now, 10 * HOUR)).toBe(10 * HOUR);
  });

  it("ignores what it cannot read", () => {
    for (const value of [undefined, "", "soon", "-5", "1.5", "2026-11-30T12:05:00Z", "12:05"]) {
      expect(retryAfterMs(value, now, HOUR)).toBeNull();
    }
  });
});
