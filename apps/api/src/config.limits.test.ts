import { describe, expect, it } from "vitest";
import { ConfigError, loadProductionConfig } from "./config.ts";

const base = {
  DATABASE_URL: "postgres://u:p@db:5432/thrive",
  SMTP_URL: "smtp://user:pass@mail:587",
  ENCRYPTION_KEY: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
};

describe("limit settings", () => {
  it("default to 100 requests/s per key and 1,000 per organization (bursts of twice that), 20/s per address, 10 sign-ins a minute, no quota, no CORS", () => {
    const config = loadProductionConfig(base);
    expect(config.rateLimits).toEqual({
      perKey: { name: "key", ratePerSecond: 100, burst: 200 },
      perOrg: { name: "organization", ratePerSecond: 1000, burst: 2000 },
      perIp: { name: "ip", ratePerSecond: 20, burst: 40 },
      signInPerIp: { name: "sign_in", ratePerSecond: 10 / 60, burst: 10 },
    });
    expect(config.planQuotas).toEqual({
      free: { daily: null, monthly: null },
      pro: { daily: null, monthly: null },
      enterprise: { daily: null, monthly: null },
    });
    expect(config.usageFlushMs).toBe(10_000);
    expect(config.corsOrigins).toEqual([]);
  });

  it("read their variables; 0 turns a limit off", () => {
    const config = loadProductionConfig({
      ...base,
      RATE_LIMIT_PER_KEY: "2",
      RATE_LIMIT_PER_KEY_BURST: "5",
      RATE_LIMIT_PER_ORG: "0",
      RATE_LIMIT_PER_IP: "0.5",
      RATE_LIMIT_SIGN_IN_PER_MINUTE: "0",
      PLAN_FREE_DAILY_EMAILS: "100",
      PLAN_FREE_MONTHLY_EMAILS: "3000",
      PLAN_PRO_MONTHLY_EMAILS: "50000",
      USAGE_FLUSH_SECONDS: "2",
      CORS_ORIGINS: "https://app.example.com, http://localhost:5173/",
    });
    expect(config.rateLimits).toEqual({
      perKey: { name: "key", ratePerSecond: 2, burst: 5 },
      perOrg: null,
      perIp: { name: "ip", ratePerSecond: 0.5, burst: 1 },
      signInPerIp: null,
    });
    expect(config.planQuotas.free).toEqual({ daily: 100, monthly: 3000 });
    expect(config.planQuotas.pro).toEqual({ daily: null, monthly: 50_000 });
    expect(config.usageFlushMs).toBe(2000);
    expect(config.corsOrigins).toEqual(["https://app.example.com", "http://localhost:5173"]);
  });

  it.each([
    ["RATE_LIMIT_PER_KEY", "-1"],
    ["RATE_LIMIT_PER_KEY_BURST", "0"],
    ["PLAN_FREE_DAILY_EMAILS", "1.5"],
    ["CORS_ORIGINS", "https://app.example.com/path"],
    ["CORS_ORIGINS", "*"],
    ["USAGE_FLUSH_SECONDS", "0"],
  ])("refuse %s=%s", (name, value) => {
    expect(() => loadProductionConfig({ ...base, [name]: value })).toThrow(ConfigError);
    expect(() => loadProductionConfig({ ...base, [name]: value })).toThrow(name);
  });
});
