import { z } from "zod";
import { LIMITS_ENV, type LimitSettings, limitSettings } from "./config-limits.ts";
import {
  checkProviderEnv,
  type GlobalProviderConfig,
  globalProviders,
  PROVIDER_ENV,
  providerSettings,
} from "./config-providers.ts";
import { parseAddress } from "./lib/address.ts";
import { parseDnsServers } from "./lib/dns-resolver.ts";
import { decodeEncryptionKey } from "./lib/secrets.ts";
import { parseCidrs } from "./lib/ssrf.ts";
import type { BreakerSettings } from "./mail/provider-breaker.ts";

/**
 * Everything the processes read from the environment, validated once at start-up and passed
 * down. Nothing else reads process.env.
 */
const booleanFromEnv = z
  .enum(["true", "false", "1", "0"])
  .transform((value) => value === "true" || value === "1");

const HOSTNAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

const envSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  PUBLIC_URL: z.url().optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  BOOTSTRAP_API_KEY: z
    .string()
    .regex(/^[\x21-\x7e]{20,200}$/, "must be 20 to 200 printable ASCII characters")
    .optional(),
  ENCRYPTION_KEY: z
    .string()
    .transform((value, ctx) => {
      const key = decodeEncryptionKey(value);
      if (!key) ctx.addIssue({ code: "custom", message: "must be a 32-byte key, hex or base64" });
      return key ?? Buffer.alloc(0);
    })
    .optional(),
  THRIVE_ROLE: z.enum(["all", "api", "worker"]).default("all"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(32),
  EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(12),
  WORKER_HEARTBEAT_SECONDS: z.coerce.number().min(0.1).max(300).default(5),
  WORKER_DEAD_AFTER_SECONDS: z.coerce.number().min(0.5).max(3600).default(30),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(50 * 1024 * 1024),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SMTP_FINAL_HOP: booleanFromEnv.default(false),
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(5),
  DNS_SERVERS: z
    .string()
    .transform((value, ctx) => {
      try {
        return parseDnsServers(value);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
        return undefined;
      }
    })
    .optional(),
  REQUIRE_VERIFIED_DOMAIN: booleanFromEnv.optional(),
  SPF_MECHANISMS: z
    .string()
    .regex(
      /^[\x21-\x7e]+( [\x21-\x7e]+)*$/,
      "must be SPF mechanisms, e.g. include:_spf.example.com",
    )
    .optional(),
  BOUNCE_MX_HOST: z.string().regex(HOSTNAME, "must be a host name").optional(),
  TRACKING_HOST: z.string().regex(HOSTNAME, "must be a host name").optional(),
  TRACKING_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  LIST_UNSUBSCRIBE: booleanFromEnv.default(true),
  TRUST_PROXY: booleanFromEnv.default(false),
  BOUNCE_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  BOUNCE_SMTP_HOST: z.string().min(1).default("0.0.0.0"),
  SNS_TOPIC_ARNS: z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((arn) => arn.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z
            .string()
            .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, "must be SNS topic ARNs"),
        )
        .min(1),
    )
    .optional(),
  SSRF_ALLOW: z
    .string()
    .transform((value, ctx) => {
      try {
        parseCidrs(value);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
      }
      return value
        .split(",")
        .map((entry) => entry.trim())
        .filter((entry) => entry !== "");
    })
    .optional(),
  ATTACHMENT_FETCH_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(30 * 1024 * 1024),
  // Well under the 30 minutes after which a claim counts as abandoned (services/emails/claim.ts).
  ATTACHMENT_FETCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  REPUTATION_WINDOW_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  REPUTATION_MIN_SENT: z.coerce.number().int().min(1).default(500),
  BOUNCE_RATE_THRESHOLD: z.coerce.number().gt(0).max(1).default(0.04),
  COMPLAINT_RATE_THRESHOLD: z.coerce.number().gt(0).max(1).default(0.003),
  WEBHOOK_ENDPOINT_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(10),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  SVIX_API_KEY: z
    .string()
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII")
    .optional(),
  SVIX_SERVER_URL: z.url({ protocol: /^https?$/ }).optional(),
  SESSION_IDLE_TIMEOUT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(120),
  SESSION_ABSOLUTE_TIMEOUT_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(365 * 24)
    .default(14 * 24),
  SYSTEM_EMAIL_FROM: z
    .string()
    .refine((value) => !("error" in parseAddress(value)), "must be an email address")
    .optional(),
  LOGIN_LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_LOCKOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  LOGIN_LOCKOUT_MAX_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .default(3600),
  ...PROVIDER_ENV,
  ...LIMITS_ENV,
});

const checkedEnvSchema = envSchema.superRefine(checkProviderEnv).superRefine((env, ctx) => {
  if (env.SVIX_SERVER_URL && !env.SVIX_API_KEY) {
    ctx.addIssue({
      code: "custom",
      path: ["SVIX_API_KEY"],
      message: "is required with SVIX_SERVER_URL",
    });
  }
});

export type Role = "all" | "api" | "worker";

export interface Config extends LimitSettings {
  mode: "production" | "development" | "test";
  databaseUrl: string;
  port: number;
  host: string;
  publicUrl: string;
  /** SMTP_URL's provider; `providers` holds it too, with the others. */
  smtp?: { url: string; finalHop: boolean; maxConnections: number };
  /** The installation's providers, in the order the worker tries them (config-providers.ts). */
  providers: GlobalProviderConfig[];
  /** Circuit breakers of the providers (mail/provider-breaker.ts). */
  providerBreaker: BreakerSettings;
  /** CIDRs organizations' SMTP providers may be on although not public (SSRF guard). */
  providerAllowedNetworks: string[];
  /** Messages per second per sending domain, across all workers; null: unlimited. */
  domainRatePerSecond: number | null;
  /** Daily allowances of a new domain, day 1 first; null: no warm-up. */
  warmupSchedule: number[] | null;
  bootstrapApiKey?: string;
  /** 32 bytes; secrets at rest and signed tokens are keyed from it (lib/secrets.ts). */
  encryptionKey: Buffer;
  role: Role;
  workerConcurrency: number;
  emailMaxAttempts: number;
  workerHeartbeatMs: number;
  workerDeadAfterMs: number;
  databasePoolSize: number;
  maxBodyBytes: number;
  logLevel: string;
  /** Dev mode only: the in-process mail catcher whose messages GET /dev/inbox lists. */
  devInbox: boolean;
  /** Resolvers for domain verification (`host` or `host:port`); the system's when unset. */
  dnsServers?: string[];
  /** Whether `from` must be on a verified domain of the organization (off in dev mode). */
  requireVerifiedDomain: boolean;
  /** What the SPF record of a return-path domain must authorize, e.g. `include:amazonses.com`. */
  spfMechanisms: string;
  /** The MX of the return-path domains: where bounces come back to. */
  bounceMxHost: string;
  /** Where a domain's tracking CNAME points. */
  trackingHost: string;
  /** Base of the open pixel and click links (PUBLIC_URL unless set). */
  trackingBaseUrl: string;
  /** One-click unsubscribe headers on mail from verified domains. */
  listUnsubscribe: boolean;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For. */
  trustProxy: boolean;
  /** The bounce mailbox (MX of the return-path domains), run by worker processes. */
  bounceSmtp?: { port: number; host: string };
  /** SES event topics whose SNS notifications POST /feedback/ses accepts. */
  snsTopicArns?: string[];
  /** CIDRs that fetches of client-given URLs may reach although not public (lib/ssrf.ts). */
  ssrfAllowList: string[];
  /** Most bytes fetched for one email's `path` attachments, all of them together. */
  attachmentFetchMaxBytes: number;
  /** Time allowed to fetch one email's `path` attachments, all of them together. */
  attachmentFetchTimeoutMs: number;
  /** When sending pauses itself (services/reputation). */
  reputation: ReputationSettings;
  /** How the worker delivers webhooks (services/webhooks). */
  webhooks: WebhookSettings;
  /** Console sign-in: sessions, lockout, the emails sent to people (services/auth). */
  identity: IdentitySettings;
}

export interface IdentitySettings {
  /** A session unused this long ends. */
  sessionIdleMs: number;
  /** A session ends this long after sign-in, however much it is used. */
  sessionAbsoluteMs: number;
  /**
   * PUBLIC_URL is https: the session cookie is `__Host-` prefixed and Secure. Over plain
   * http (`pnpm dev`) browsers refuse both, so the cookie is neither there.
   */
  secureCookies: boolean;
  /** The from address of invitations, password resets and verifications. */
  systemEmailFrom: string;
  /** Failures in a row before an account locks; then each further one doubles the lock. */
  lockoutThreshold: number;
  lockoutBaseMs: number;
  lockoutMaxMs: number;
  /** How long a password reset link, an invitation and an MFA challenge last. */
  passwordResetMs: number;
  invitationMs: number;
  mfaChallengeMs: number;
  /** OIDC issuers on plain http (a provider on this machine); never in production. */
  allowInsecureOidc: boolean;
}

export interface WebhookSettings {
  /** Deliveries to one endpoint in flight at once in one worker process. */
  endpointConcurrency: number;
  /** Time allowed for one delivery attempt: connecting, sending, the answer. */
  timeoutMs: number;
  /** Deliver through a Svix server instead of our own dispatcher. */
  svix?: { apiKey: string; serverUrl?: string };
}

export interface ReputationSettings {
  /** Days (UTC, today included) the bounce and complaint rates are computed over. */
  windowDays: number;
  /** Recipients sent in the window below which no rate pauses anything (2 of 10 is noise). */
  minSent: number;
  bounceRateThreshold: number;
  complaintRateThreshold: number;
  /** How long the worker holds an email from a paused sender before looking again. */
  holdMs: number;
  /** How old an event must be before the stats job reads it (services/reputation/horizon.ts). */
  statsMarginMs: number;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function parseEnv(env: Record<string, string | undefined>) {
  // An empty variable means "not set", as in most deployment tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const parsed = checkedEnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export type ParsedEnv = ReturnType<typeof parseEnv>;

/** Production configuration (`pnpm start`): no embedded parts, DATABASE_URL required. */
export function loadProductionConfig(env: Record<string, string | undefined>): Config {
  const parsed = parseEnv(env);
  if (!parsed.DATABASE_URL) {
    throw new ConfigError("DATABASE_URL is required (pnpm dev starts an embedded PostgreSQL)");
  }
  if (parsed.THRIVE_ROLE !== "api" && globalProviders(parsed).length === 0) {
    throw new ConfigError(
      `SMTP_URL is required when THRIVE_ROLE is "${parsed.THRIVE_ROLE}" (or SMTP2_URL or SES_REGION): the worker needs somewhere to send mail`,
    );
  }
  if (!parsed.ENCRYPTION_KEY) {
    throw new ConfigError(
      "ENCRYPTION_KEY is required: 32 random bytes, hex or base64 (e.g. `openssl rand -base64 32`); secrets are stored encrypted with it",
    );
  }
  return buildConfig(parsed, {
    mode: "production",
    databaseUrl: parsed.DATABASE_URL,
    encryptionKey: parsed.ENCRYPTION_KEY,
  });
}

export function buildConfig(
  parsed: ParsedEnv,
  overrides: Pick<Config, "mode" | "databaseUrl" | "encryptionKey"> & Partial<Config>,
): Config {
  const publicUrl = (parsed.PUBLIC_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/+$/, "");
  const publicHost = new URL(publicUrl).hostname;
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    publicUrl,
    smtp: parsed.SMTP_URL
      ? {
          url: parsed.SMTP_URL,
          finalHop: parsed.SMTP_FINAL_HOP,
          maxConnections: parsed.SMTP_MAX_CONNECTIONS,
        }
      : undefined,
    bootstrapApiKey: parsed.BOOTSTRAP_API_KEY,
    role: parsed.THRIVE_ROLE,
    workerConcurrency: parsed.WORKER_CONCURRENCY,
    emailMaxAttempts: parsed.EMAIL_MAX_ATTEMPTS,
    workerHeartbeatMs: parsed.WORKER_HEARTBEAT_SECONDS * 1000,
    workerDeadAfterMs: parsed.WORKER_DEAD_AFTER_SECONDS * 1000,
    databasePoolSize: parsed.DATABASE_POOL_SIZE,
    maxBodyBytes: parsed.MAX_BODY_BYTES,
    logLevel: parsed.LOG_LEVEL,
    devInbox: false,
    dnsServers: parsed.DNS_SERVERS,
    requireVerifiedDomain: parsed.REQUIRE_VERIFIED_DOMAIN ?? overrides.mode === "production",
    spfMechanisms: parsed.SPF_MECHANISMS ?? `a:${publicHost}`,
    bounceMxHost: parsed.BOUNCE_MX_HOST ?? publicHost,
    trackingHost: parsed.TRACKING_HOST ?? publicHost,
    trackingBaseUrl: (parsed.TRACKING_BASE_URL ?? publicUrl).replace(/\/+$/, ""),
    listUnsubscribe: parsed.LIST_UNSUBSCRIBE,
    trustProxy: parsed.TRUST_PROXY,
    bounceSmtp:
      parsed.BOUNCE_SMTP_PORT === undefined
        ? undefined
        : { port: parsed.BOUNCE_SMTP_PORT, host: parsed.BOUNCE_SMTP_HOST },
    snsTopicArns: parsed.SNS_TOPIC_ARNS,
    // Dev and tests serve files from this machine; production reaches public addresses only.
    ssrfAllowList: parsed.SSRF_ALLOW ?? (overrides.mode === "production" ? [] : ["127.0.0.0/8"]),
    attachmentFetchMaxBytes: parsed.ATTACHMENT_FETCH_MAX_BYTES,
    attachmentFetchTimeoutMs: parsed.ATTACHMENT_FETCH_TIMEOUT_MS,
    reputation: {
      windowDays: parsed.REPUTATION_WINDOW_DAYS,
      minSent: parsed.REPUTATION_MIN_SENT,
      bounceRateThreshold: parsed.BOUNCE_RATE_THRESHOLD,
      complaintRateThreshold: parsed.COMPLAINT_RATE_THRESHOLD,
      holdMs: 60 * 60_000,
      statsMarginMs: 10_000,
    },
    webhooks: {
      endpointConcurrency: parsed.WEBHOOK_ENDPOINT_CONCURRENCY,
      timeoutMs: parsed.WEBHOOK_TIMEOUT_MS,
      svix: parsed.SVIX_API_KEY
        ? { apiKey: parsed.SVIX_API_KEY, serverUrl: parsed.SVIX_SERVER_URL }
        : undefined,
    },
    identity: {
      sessionIdleMs: parsed.SESSION_IDLE_TIMEOUT_MINUTES * 60_000,
      sessionAbsoluteMs: parsed.SESSION_ABSOLUTE_TIMEOUT_HOURS * 3_600_000,
      secureCookies: publicUrl.startsWith("https:"),
      systemEmailFrom: parsed.SYSTEM_EMAIL_FROM ?? defaultSystemFrom(publicHost),
      lockoutThreshold: parsed.LOGIN_LOCKOUT_THRESHOLD,
      lockoutBaseMs: parsed.LOGIN_LOCKOUT_SECONDS * 1000,
      lockoutMaxMs: Math.max(parsed.LOGIN_LOCKOUT_MAX_SECONDS, parsed.LOGIN_LOCKOUT_SECONDS) * 1000,
      passwordResetMs: 30 * 60_000,
      invitationMs: 7 * 24 * 3_600_000,
      mfaChallengeMs: 5 * 60_000,
      allowInsecureOidc: overrides.mode !== "production",
    },
    ...providerSettings(parsed, overrides.mode),
    ...limitSettings(parsed),
    ...overrides,
  };
}

/**
 * `Thrive-Send <no-reply@PUBLIC_URL's host>`; a host that cannot be an email domain
 * (`localhost`, an IP address) gets `localhost.localdomain`, which can.
 */
function defaultSystemFrom(publicHost: string): string {
  const candidate = `no-reply@${publicHost}`;
  const address = "error" in parseAddress(candidate) ? "no-reply@localhost.localdomain" : candidate;
  return `Thrive-Send <${address}>`;
}

/** Entry points: a configuration mistake is a message and exit code 1, not a stack trace. */
export function configOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
