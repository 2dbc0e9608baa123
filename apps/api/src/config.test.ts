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

  it("makes SMTP_URL the one provider by default, with the breaker's and warm-up's defaults", () => {
    expect(loadProductionConfig(base)).toMatchObject({
      providers: [
        {
          name: "smtp",
          type: "smtp",
          url: base.SMTP_URL,
          finalHop: false,
          maxConnections: 5,
          ratePerSecond: null,
        },
      ],
      providerBreaker: { resetMs: 30_000, windowMs: 10_000, minSends: 5, errorPercent: 50 },
      providerAllowedNetworks: [],
      domainRatePerSecond: null,
      warmupSchedule: null,
    });
  });

  it("reads every provider variable, in the order PROVIDERS gives", () => {
    const config = loadProductionConfig({
      ...base,
      SMTP_RATE_PER_SECOND: "20",
      SMTP2_URL: "smtps://backup.example.com:465",
      SMTP2_FINAL_HOP: "true",
      SMTP2_RATE_PER_SECOND: "2.5",
      SES_REGION: "eu-west-1",
      SES_ENDPOINT: "http://127.0.0.1:4579",
      SES_ACCESS_KEY_ID: "AKIATHRIVESENDTEST01",
      SES_SECRET_ACCESS_KEY: "secret",
      SES_CONFIGURATION_SET: "thrive-events",
      SES_RATE_PER_SECOND: "14",
      PROVIDERS: "ses, smtp2 ,SMTP",
      PROVIDER_BREAKER_RESET_SECONDS: "0.5",
      PROVIDER_BREAKER_WINDOW_SECONDS: "2",
      PROVIDER_BREAKER_MIN_SENDS: "3",
      PROVIDER_BREAKER_ERROR_PERCENT: "25",
      PROVIDER_ALLOWED_NETWORKS: "10.1.0.0/16, 192.168.7.7",
      DOMAIN_RATE_PER_SECOND: "5",
      WARMUP_SCHEDULE: "50, 100,500",
    });
    expect(config.providers).toEqual([
      {
        name: "ses",
        type: "ses",
        region: "eu-west-1",
        endpoint: "http://127.0.0.1:4579",
        credentials: { accessKeyId: "AKIATHRIVESENDTEST01", secretAccessKey: "secret" },
        configurationSetName: "thrive-events",
        ratePerSecond: 14,
      },
      {
        name: "smtp2",
        type: "smtp",
        url: "smtps://backup.example.com:465",
        finalHop: true,
        maxConnections: 5,
        ratePerSecond: 2.5,
      },
      {
        name: "smtp",
        type: "smtp",
        url: base.SMTP_URL,
        finalHop: false,
        maxConnections: 5,
        ratePerSecond: 20,
      },
    ]);
    expect(config).toMatchObject({
      providerBreaker: { resetMs: 500, windowMs: 2000, minSends: 3, errorPercent: 25 },
      providerAllowedNetworks: ["10.1.0.0/16", "192.168.7.7"],
      domainRatePerSecond: 5,
      warmupSchedule: [50, 100, 500],
    });
  });

  it("runs a worker with SES alone, and chains every configured provider without PROVIDERS", () => {
    const { SMTP_URL: _, ...withoutSmtp } = base;
    const sesOnly = loadProductionConfig({ ...withoutSmtp, SES_REGION: "us-east-1" });
    expect(sesOnly.providers.map((provider) => provider.name)).toEqual(["ses"]);
    expect(sesOnly.smtp).toBeUndefined();
    const all = loadProductionConfig({
      ...base,
      SES_REGION: "us-east-1",
      SMTP2_URL: "smtp://backup:25",
    });
    expect(all.providers.map((provider) => provider.name)).toEqual(["smtp", "smtp2", "ses"]);
  });

  it.each([
    [{ PROVIDERS: "smtp,mailgun" }, /PROVIDERS: unknown provider "mailgun"/],
    [{ PROVIDERS: "smtp,smtp" }, /PROVIDERS: names a provider twice/],
    [{ PROVIDERS: "smtp,ses" }, /PROVIDERS: lists "ses" but SES_REGION is not set/],
    [{ PROVIDERS: " , " }, /PROVIDERS: names no provider/],
    [{ SES_REGION: "Ireland" }, /SES_REGION: must be an AWS region/],
    [{ SES_REGION: "eu-west-1", SES_ACCESS_KEY_ID: "AKIATHRIVESENDTEST01" }, /go together/],
    [{ SES_ENDPOINT: "http://127.0.0.1:4579" }, /SES_REGION: is required with SES_ENDPOINT/],
    [{ SES_REGION: "eu-west-1", SES_ENDPOINT: "ftp://ses" }, /SES_ENDPOINT/],
    [{ SMTP2_URL: "http://backup" }, /SMTP2_URL/],
    [{ SMTP_RATE_PER_SECOND: "0" }, /SMTP_RATE_PER_SECOND: must be a positive number/],
    [{ SES_RATE_PER_SECOND: "fast" }, /SES_RATE_PER_SECOND/],
    [{ DOMAIN_RATE_PER_SECOND: "-1" }, /DOMAIN_RATE_PER_SECOND/],
    [{ PROVIDER_BREAKER_ERROR_PERCENT: "150" }, /PROVIDER_BREAKER_ERROR_PERCENT/],
    [{ PROVIDER_BREAKER_MIN_SENDS: "0" }, /PROVIDER_BREAKER_MIN_SENDS/],
    [{ PROVIDER_ALLOWED_NETWORKS: "10.0.0.0/33" }, /PROVIDER_ALLOWED_NETWORKS: not a CIDR/],
    [{ WARMUP_SCHEDULE: "50,100,lots" }, /WARMUP_SCHEDULE: must be daily allowances/],
    [{ WARMUP_SCHEDULE: "50,0,100" }, /WARMUP_SCHEDULE: every daily allowance must be at least 1/],
  ])("rejects the provider settings %j", (env, message) => {
    expect(() => loadProductionConfig({ ...base, ...env })).toThrow(ConfigError);
    expect(() => loadProductionConfig({ ...base, ...env })).toThrow(message);
  });

  it("treats empty variables as unset", () => {
    expect(loadProductionConfig({ ...base, PORT: "", BOOTSTRAP_API_KEY: "" })).toMatchObject({
      port: 3000,
      bootstrapApiKey: undefined,
    });
  });

  it("reads the console's sign-in settings, with secure cookies only over https", () => {
    expect(loadProductionConfig(base).identity).toMatchObject({
      sessionIdleMs: 2 * 3_600_000,
      sessionAbsoluteMs: 14 * 24 * 3_600_000,
      secureCookies: false,
      systemEmailFrom: "Thrive-Send <no-reply@localhost.localdomain>",
      lockoutThreshold: 5,
      lockoutBaseMs: 60_000,
      lockoutMaxMs: 3_600_000,
      allowInsecureOidc: false,
    });
    const config = loadProductionConfig({
      ...base,
      PUBLIC_URL: "https://mail.example.com",
      SESSION_IDLE_TIMEOUT_MINUTES: "30",
      SESSION_ABSOLUTE_TIMEOUT_HOURS: "24",
      SYSTEM_EMAIL_FROM: "Example <accounts@example.com>",
      LOGIN_LOCKOUT_THRESHOLD: "3",
      LOGIN_LOCKOUT_SECONDS: "10",
      LOGIN_LOCKOUT_MAX_SECONDS: "600",
    });
    expect(config.identity).toMatchObject({
      sessionIdleMs: 30 * 60_000,
      sessionAbsoluteMs: 24 * 3_600_000,
      secureCookies: true,
      systemEmailFrom: "Example <accounts@example.com>",
      lockoutThreshold: 3,
      lockoutBaseMs: 10_000,
      lockoutMaxMs: 600_000,
    });
    expect(
      loadProductionConfig({ ...base, PUBLIC_URL: "https://mail.example.com" }).identity
        .systemEmailFrom,
    ).toBe("Thrive-Send <no-reply@mail.example.com>");
  });

  it.each([
    [{ SESSION_IDLE_TIMEOUT_MINUTES: "0" }, /SESSION_IDLE_TIMEOUT_MINUTES/],
    [{ SESSION_ABSOLUTE_TIMEOUT_HOURS: "forever" }, /SESSION_ABSOLUTE_TIMEOUT_HOURS/],
    [{ SYSTEM_EMAIL_FROM: "no reply" }, /SYSTEM_EMAIL_FROM: must be an email address/],
    [{ LOGIN_LOCKOUT_THRESHOLD: "0" }, /LOGIN_LOCKOUT_THRESHOLD/],
  ])("rejects the sign-in settings %j", (env, message) => {
    expect(() => loadProductionConfig({ ...base, ...env })).toThrow(message);
  });
});
