import { describe, expect, it } from "vitest";
import { ConfigError, loadProductionConfig } from "./config.ts";

const base = {
  DATABASE_URL: "postgres://u:p@db:5432/thrive",
  SMTP_URL: "smtp://user:pass@mail:587",
  ENCRYPTION_KEY: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
};

describe("webhook settings", () => {
  it("default to 10 deliveries per endpoint, a 15 s timeout and our own dispatcher", () => {
    expect(loadProductionConfig(base).webhooks).toEqual({
      endpointConcurrency: 10,
      timeoutMs: 15_000,
      svix: undefined,
    });
  });

  it("read their variables", () => {
    const config = loadProductionConfig({
      ...base,
      WEBHOOK_ENDPOINT_CONCURRENCY: "4",
      WEBHOOK_TIMEOUT_MS: "5000",
      SVIX_API_KEY: "testsk_abc.eu",
      SVIX_SERVER_URL: "https://svix.internal.example.com",
    });
    expect(config.webhooks).toEqual({
      endpointConcurrency: 4,
      timeoutMs: 5000,
      svix: { apiKey: "testsk_abc.eu", serverUrl: "https://svix.internal.example.com" },
    });
  });

  it("uses Svix's cloud when only SVIX_API_KEY is set", () => {
    expect(loadProductionConfig({ ...base, SVIX_API_KEY: "sk_live" }).webhooks.svix).toEqual({
      apiKey: "sk_live",
      serverUrl: undefined,
    });
  });

  it.each([
    ["WEBHOOK_ENDPOINT_CONCURRENCY", "0"],
    ["WEBHOOK_ENDPOINT_CONCURRENCY", "2.5"],
    ["WEBHOOK_TIMEOUT_MS", "10"],
    ["WEBHOOK_TIMEOUT_MS", "ten"],
    ["SVIX_SERVER_URL", "ftp://svix.example.com"],
    ["SVIX_API_KEY", "has spaces"],
  ])("rejects %s=%s", (name, value) => {
    const env = { ...base, SVIX_API_KEY: "sk_ok", [name]: value };
    expect(() => loadProductionConfig(env)).toThrow(ConfigError);
    expect(() => loadProductionConfig(env)).toThrow(name);
  });

  it("requires SVIX_API_KEY with SVIX_SERVER_URL", () => {
    expect(() => loadProductionConfig({ ...base, SVIX_SERVER_URL: "http://svix:8071" })).toThrow(
      /SVIX_API_KEY: is required with SVIX_SERVER_URL/,
    );
  });
});
