import { describe, expect, it } from "vitest";
import { ConfigError, loadProductionConfig } from "./config.ts";

const base = {
  DATABASE_URL: "postgres://u:p@db:5432/thrive",
  SMTP_URL: "smtp://user:pass@mail:587",
  ENCRYPTION_KEY: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
};

describe("loadProductionConfig", () => {
  it("reads the documented variables with their defaults", () => {
    const config = loadProductionConfig(base);
    expect(config).toMatchObject({
      mode: "production",
      databaseUrl: base.DATABASE_URL,
      port: 3000,
      role: "all",
      workerConcurrency: 32,
      publicUrl: "http://localhost:3000",
      smtp: { url: base.SMTP_URL, finalHop: false, maxConnections: 5 },
    });
  });

  it("reads every variable", () => {
    const config = loadProductionConfig({
      ...base,
      PORT: "8080",
      PUBLIC_URL: "https://mail.example.com",
      THRIVE_ROLE: "worker",
      WORKER_CONCURRENCY: "64",
      BOOTSTRAP_API_KEY: "ts_bootstrap_key_0123456789",
      ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
      DNS_SERVERS: "127.0.0.1:5353, [::1]:53,1.1.1.1",
      REQUIRE_VERIFIED_DOMAIN: "false",
      SPF_MECHANISMS: "include:amazonses.com",
      BOUNCE_MX_HOST: "bounces.example.com",
      TRACKING_HOST: "t.example.com",
    });
    expect(config).toMatchObject({
      port: 8080,
      publicUrl: "https://mail.example.com",
      role: "worker",
      workerConcurrency: 64,
      bootstrapApiKey: "ts_bootstrap_key_0123456789",
      encryptionKey: Buffer.alloc(32, 7),
      dnsServers: ["127.0.0.1:5353", "[::1]:53", "1.1.1.1"],
      requireVerifiedDomain: false,
      spfMechanisms: "include:amazonses.com",
      bounceMxHost: "bounces.example.com",
      trackingHost: "t.example.com",
    });
  });

  it("derives the DNS defaults from PUBLIC_URL and requires verified domains", () => {
    expect(loadProductionConfig({ ...base, PUBLIC_URL: "https://mail.example.com" })).toMatchObject(
      {
        requireVerifiedDomain: true,
        spfMechanisms: "a:mail.example.com",
        bounceMxHost: "mail.example.com",
        trackingHost: "mail.example.com",
      },
    );
  });

  it("requires ENCRYPTION_KEY", () => {
    const { ENCRYPTION_KEY: _, ...withoutKey } = base;
    expect(() => loadProductionConfig(withoutKey)).toThrow(/ENCRYPTION_KEY is required/);
  });

  it("requires DATABASE_URL", () => {
    expect(() =>
      loadProductionConfig({ SMTP_URL: base.SMTP_URL, ENCRYPTION_KEY: base.ENCRYPTION_KEY }),
    ).toThrow(/DATABASE_URL is required/);
  });

  it("requires SMTP_URL unless the process only serves the API", () => {
    const { SMTP_URL: _, ...withoutSmtp } = base;
    expect(() => loadProductionConfig(withoutSmtp)).toThrow(/SMTP_URL is required/);
    expect(loadProductionConfig({ ...withoutSmtp, THRIVE_ROLE: "api" }).smtp).toBeUndefined();
  });

  it.each([
    ["PORT", "http"],
    ["THRIVE_ROLE", "everything"],
    ["WORKER_CONCURRENCY", "0"],
    ["DATABASE_URL", "mysql://x"],
    ["SMTP_URL", "http://mail"],
    ["BOOTSTRAP_API_KEY", "short"],
    ["ENCRYPTION_KEY", "0123456789abcdef"],
    ["DNS_SERVERS", "dns.google"],
    ["BOUNCE_MX_HOST", "not a host"],
  ])("rejects an invalid %s", (name, value) => {
    expect(() => loadProductionConfig({ ...base, [name]: value })).toThrow(ConfigError);
    expect(() => loadProductionConfig({ ...base, [name]: value })).toThrow(name);
  });

  it("treats empty variables as unset", () => {
    expect(loadProductionConfig({ ...base, PORT: "", BOOTSTRAP_API_KEY: "" })).toMatchObject({
      port: 3000,
      bootstrapApiKey: undefined,
    });
  });
});
