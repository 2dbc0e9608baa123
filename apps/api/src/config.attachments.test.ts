import { describe, expect, it } from "vitest";
import { buildConfig, loadProductionConfig, parseEnv } from "./config.ts";

const base = {
  DATABASE_URL: "postgres://u:p@db:5432/thrive",
  SMTP_URL: "smtp://user:pass@mail:587",
  ENCRYPTION_KEY: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
};

describe("attachment fetching configuration", () => {
  it("reaches public addresses only in production, 30 MiB and 30 s per email by default", () => {
    expect(loadProductionConfig(base)).toMatchObject({
      ssrfAllowList: [],
      attachmentFetchMaxBytes: 30 * 1024 * 1024,
      attachmentFetchTimeoutMs: 30_000,
    });
  });

  it("lets dev and tests reach this machine unless SSRF_ALLOW says otherwise", () => {
    const key = Buffer.alloc(32);
    const dev = (env: Record<string, string>) =>
      buildConfig(parseEnv(env), { mode: "development", databaseUrl: "x", encryptionKey: key });
    expect(dev({}).ssrfAllowList).toEqual(["127.0.0.0/8"]);
    expect(dev({ SSRF_ALLOW: "10.1.0.0/16" }).ssrfAllowList).toEqual(["10.1.0.0/16"]);
  });

  it("reads the variables", () => {
    expect(
      loadProductionConfig({
        ...base,
        SSRF_ALLOW: " 10.0.0.0/8, fd00::/8 ,192.168.1.7",
        ATTACHMENT_FETCH_MAX_BYTES: "1048576",
        ATTACHMENT_FETCH_TIMEOUT_MS: "5000",
      }),
    ).toMatchObject({
      ssrfAllowList: ["10.0.0.0/8", "fd00::/8", "192.168.1.7"],
      attachmentFetchMaxBytes: 1024 * 1024,
      attachmentFetchTimeoutMs: 5000,
    });
  });

  it.each([
    ["SSRF_ALLOW", "10.0.0.0/33"],
    ["SSRF_ALLOW", "intranet.local"],
    ["ATTACHMENT_FETCH_MAX_BYTES", "0"],
    ["ATTACHMENT_FETCH_MAX_BYTES", "lots"],
    ["ATTACHMENT_FETCH_TIMEOUT_MS", "3600000"],
  ])("refuses %s=%s", (name, value) => {
    expect(() => loadProductionConfig({ ...base, [name]: value })).toThrow(name);
  });
});
