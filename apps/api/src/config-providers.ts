import { z } from "zod";
import { parseCidrs } from "./lib/ssrf.ts";
import type { BreakerSettings } from "./mail/provider-breaker.ts";

/**
 * The installation's mail providers, read from the environment (config.ts spreads these
 * variables into its schema). Each provider has a fixed name and its own variables, prefixed
 * with the name: `smtp` (SMTP_URL, ...), `smtp2` (SMTP2_URL, ...: a second SMTP relay, the
 * usual fallback) and `ses` (SES_REGION, ...). PROVIDERS orders them into the chain the worker
 * tries (mail/provider-chain.ts); unset, every configured provider is in it, in that order.
 */
export const GLOBAL_PROVIDER_NAMES = ["smtp", "smtp2", "ses"] as const;
export type GlobalProviderName = (typeof GLOBAL_PROVIDER_NAMES)[number];

export type GlobalProviderConfig =
  | {
      name: "smtp" | "smtp2";
      type: "smtp";
      url: string;
      finalHop: boolean;
      maxConnections: number;
      /** Messages per second across all workers; null: no limit of ours. */
      ratePerSecond: number | null;
    }
  | {
      name: "ses";
      type: "ses";
      region: string;
      endpoint?: string | undefined;
      /** Without them, the AWS SDK's default chain (environment, files, instance role). */
      credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
      configurationSetName?: string | undefined;
      ratePerSecond: number | null;
    };

const booleanFromEnv = z
  .enum(["true", "false", "1", "0"])
  .transform((value) => value === "true" || value === "1");

const rate = z.coerce.number().positive("must be a positive number of messages per second");

const commaList = (value: string) =>
  value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");

export const PROVIDER_ENV = {
  SMTP_RATE_PER_SECOND: rate.optional(),
  SMTP2_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  SMTP2_FINAL_HOP: booleanFromEnv.default(false),
  SMTP2_RATE_PER_SECOND: rate.optional(),
  SES_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, "must be an AWS region, e.g. eu-west-1")
    .optional(),
  SES_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  SES_ACCESS_KEY_ID: z
    .string()
    .regex(/^[A-Z0-9]{16,128}$/, "must be an AWS access key id")
    .optional(),
  SES_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  SES_CONFIGURATION_SET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be an SES configuration set name")
    .optional(),
  SES_RATE_PER_SECOND: rate.optional(),
  PROVIDERS: z
    .string()
    .transform((value, ctx) => {
      const names = commaList(value.toLowerCase());
      for (const name of names) {
        if (!(GLOBAL_PROVIDER_NAMES as readonly string[]).includes(name)) {
          ctx.addIssue({
            code: "custom",
            message: `unknown provider "${name}": use ${GLOBAL_PROVIDER_NAMES.join(", ")}`,
          });
        }
      }
      if (new Set(names).size !== names.length) {
        ctx.addIssue({ code: "custom", message: "names a provider twice" });
      }
      return names as GlobalProviderName[];
    })
    .optional(),
  PROVIDER_BREAKER_RESET_SECONDS: z.coerce.number().min(0.05).max(3600).default(30),
  PROVIDER_BREAKER_WINDOW_SECONDS: z.coerce.number().min(0.1).max(3600).default(10),
  PROVIDER_BREAKER_MIN_SENDS: z.coerce.number().int().min(1).max(100_000).default(5),
  PROVIDER_BREAKER_ERROR_PERCENT: z.coerce.number().min(1).max(100).default(50),
  PROVIDER_ALLOWED_NETWORKS: z
    .string()
    .transform((value, ctx) => {
      try {
        parseCidrs(value);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
      }
      return commaList(value);
    })
    .optional(),
  DOMAIN_RATE_PER_SECOND: rate.optional(),
  WARMUP_SCHEDULE: z
    .string()
    .regex(/^\s*\d+\s*(,\s*\d+\s*)*$/, "must be daily allowances, e.g. 50,100,500,1000")
    .transform((value, ctx) => {
      const days = commaList(value).map(Number);
      if (days.some((allowance) => allowance < 1)) {
        ctx.addIssue({ code: "custom", message: "every daily allowance must be at least 1" });
      }
      return days;
    })
    .optional(),
};

type ProviderEnv = z.output<z.ZodObject<typeof PROVIDER_ENV>> & {
  SMTP_URL?: string | undefined;
  SMTP_FINAL_HOP: boolean;
  SMTP_MAX_CONNECTIONS: number;
};

/** The variable that makes each provider configured. */
const REQUIRED: Record<GlobalProviderName, "SMTP_URL" | "SMTP2_URL" | "SES_REGION"> = {
  smtp: "SMTP_URL",
  smtp2: "SMTP2_URL",
  ses: "SES_REGION",
};

/** Checks across variables (config.ts runs it as its schema's refinement). */
export function checkProviderEnv(env: ProviderEnv, ctx: z.RefinementCtx): void {
  for (const name of env.PROVIDERS ?? []) {
    if (!env[REQUIRED[name]]) {
      ctx.addIssue({
        code: "custom",
        path: ["PROVIDERS"],
        message: `lists "${name}" but ${REQUIRED[name]} is not set`,
      });
    }
  }
  if (env.PROVIDERS?.length === 0) {
    ctx.addIssue({ code: "custom", path: ["PROVIDERS"], message: "names no provider" });
  }
  if (!env.SES_ACCESS_KEY_ID !== !env.SES_SECRET_ACCESS_KEY) {
    ctx.addIssue({
      code: "custom",
      path: [env.SES_ACCESS_KEY_ID ? "SES_SECRET_ACCESS_KEY" : "SES_ACCESS_KEY_ID"],
      message: "SES_ACCESS_KEY_ID and SES_SECRET_ACCESS_KEY go together",
    });
  }
  for (const name of ["SES_ENDPOINT", "SES_ACCESS_KEY_ID", "SES_CONFIGURATION_SET"] as const) {
    if (env[name] && !env.SES_REGION) {
      ctx.addIssue({ code: "custom", path: ["SES_REGION"], message: `is required with ${name}` });
    }
  }
}

function globalProvider(env: ProviderEnv, name: GlobalProviderName): GlobalProviderConfig | null {
  if (name === "ses") {
    if (!env.SES_REGION) return null;
    return {
      name,
      type: "ses",
      region: env.SES_REGION,
      endpoint: env.SES_ENDPOINT,
      credentials:
        env.SES_ACCESS_KEY_ID && env.SES_SECRET_ACCESS_KEY
          ? { accessKeyId: env.SES_ACCESS_KEY_ID, secretAccessKey: env.SES_SECRET_ACCESS_KEY }
          : undefined,
      configurationSetName: env.SES_CONFIGURATION_SET,
      ratePerSecond: env.SES_RATE_PER_SECOND ?? null,
    };
  }
  const url = name === "smtp" ? env.SMTP_URL : env.SMTP2_URL;
  if (!url) return null;
  return {
    name,
    type: "smtp",
    url,
    finalHop: name === "smtp" ? env.SMTP_FINAL_HOP : env.SMTP2_FINAL_HOP,
    maxConnections: env.SMTP_MAX_CONNECTIONS,
    ratePerSecond: (name === "smtp" ? env.SMTP_RATE_PER_SECOND : env.SMTP2_RATE_PER_SECOND) ?? null,
  };
}

/** The chain, in order: PROVIDERS, or every configured provider. */
export function globalProviders(env: ProviderEnv): GlobalProviderConfig[] {
  return (env.PROVIDERS ?? GLOBAL_PROVIDER_NAMES)
    .map((name) => globalProvider(env, name))
    .filter((provider): provider is GlobalProviderConfig => provider !== null);
}

const LOOPBACK = ["127.0.0.0/8", "::1/128"];

/** The Config fields these variables give (see Config in config.ts). */
export function providerSettings(env: ProviderEnv, mode: "production" | "development" | "test") {
  const providerBreaker: BreakerSettings = {
    resetMs: env.PROVIDER_BREAKER_RESET_SECONDS * 1000,
    windowMs: env.PROVIDER_BREAKER_WINDOW_SECONDS * 1000,
    minSends: env.PROVIDER_BREAKER_MIN_SENDS,
    errorPercent: env.PROVIDER_BREAKER_ERROR_PERCENT,
  };
  return {
    providers: globalProviders(env),
    providerBreaker,
    // Organizations' SMTP servers on this machine are what dev and tests use; in production
    // a private address is an attempt to reach our own network.
    providerAllowedNetworks:
      env.PROVIDER_ALLOWED_NETWORKS ?? (mode === "production" ? [] : LOOPBACK),
    domainRatePerSecond: env.DOMAIN_RATE_PER_SECOND ?? null,
    warmupSchedule: env.WARMUP_SCHEDULE ?? null,
  };
}
