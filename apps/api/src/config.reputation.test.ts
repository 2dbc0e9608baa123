import { describe, expect, it } from "vitest";
import { ConfigError, loadProductionConfig } from "./config.ts";

const base = {
  DATABASE_URL: "postgres://u:p@db:5432/thrive",
  SMTP_URL: "smtp://user:pass@mail:587",
  ENCRYPTION_KEY: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
};

describe("reputation settings", () => {
  it("default to a 7-day window, 500 sent, Resend's 4% bounces and Gmail's 0.3% complaints", () => {
    expect(loadProductionConfig(base).reputation).toEqual({
      windowDays: 7,
      minSent: 500,
      bounceRateThreshold: 0.04,
      complaintRateThreshold: 0.003,
      holdMs: 3_600_000,
      statsMarginMs: 10_000,
    });
  });

  it("read their variables", () => {
    const config = loadProductionConfig({
      ...base,
      REPUTATION_WINDOW_DAYS: "30",
      REPUTATION_MIN_SENT: "1000",
      BOUNCE_RATE_THRESHOLD: "0.05",
      COMPLAINT_RATE_THRESHOLD: "0.001",
    });
    expect(config.reputation).toMatchObject({
      windowDays: 30,
      minSent: 1000,
      bounceRateThreshold: 0.05,
      complaintRateThreshold: 0.001,
    });
  });

  it.each([
    ["REPUTATION_WINDOW_DAYS", "0"],
    ["REPUTATION_WINDOW_DAYS", "1.5"],
    ["REPUTATION_MIN_SENT", "-1"],
    ["BOUNCE_RATE_THRESHOLD", "0"],
    ["BOUNCE_RATE_THRESHOLD", "4%"],
    ["COMPLAINT_RATE_THRESHOLD", "1.5"],
  ])("refuse %s=%s", (name, value) => {
    expect(() => loadProductionConfig({ ...base, [name]: value })).toThrow(ConfigError);
    expect(() => loadProductionConfig({ ...base, [name]: value })).toThrow(name);
  });
});
