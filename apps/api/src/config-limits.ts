import { z } from "zod";
import type { Plan } from "./db/schema/index.ts";
import type { RatePolicy } from "./lib/leased-rate-limiter.ts";
import type { PlanQuotas } from "./services/usage/quota-gate.ts";

/**
 * Request limits, send quotas, usage metering and CORS, read from the environment (config.ts
 * spreads these variables into its schema). Rates are per second with a burst (the bucket's
 * size, twice the rate unless set); 0 turns a limit off. Quotas are emails per UTC day and
 * month per plan (organizations.plan); 0 is no quota.
 */
const perSecond = z.coerce.number().min(0, "must be 0 (off) or a number of requests per second");
const burst = z.coerce.number().int().min(1, "must be at least 1").optional();
const quota = z.coerce.number().int().min(0, "must be 0 (no quota) or a number of emails");

export const LIMITS_ENV = {
  // Resend allows 2 requests/s per team; a self-hosted installation has room for more.
  RATE_LIMIT_PER_KEY: perSecond.default(100),
  RATE_LIMIT_PER_KEY_BURST: burst,
  RATE_LIMIT_PER_ORG: perSecond.default(1000),
  RATE_LIMIT_PER_ORG_BURST: burst,
  /** Unauthenticated endpoints (tracking, unsubscribe, /feedback/ses), per client address. */
  RATE_LIMIT_PER_IP: perSecond.default(20),
  RATE_LIMIT_PER_IP_BURST: burst,
  /** Sign-in attempts per client address and minute (lib/ip-rate-limit.ts, `sign_in`). */
  RATE_LIMIT_SIGN_IN_PER_MINUTE: z.coerce.number().int().min(0).default(10),
  PLAN_FREE_DAILY_EMAILS: quota.default(0),
  PLAN_FREE_MONTHLY_EMAILS: quota.default(0),
  PLAN_PRO_DAILY_EMAILS: quota.default(0),
  PLAN_PRO_MONTHLY_EMAILS: quota.default(0),
  PLAN_ENTERPRISE_DAILY_EMAILS: quota.default(0),
  PLAN_ENTERPRISE_MONTHLY_EMAILS: quota.default(0),
  USAGE_FLUSH_SECONDS: z.coerce.number().min(0.1).max(3600).default(10),
  CORS_ORIGINS: z
    .string()
    .transform((value, ctx) =>
      value
        .split(",")
        .map((entry) => entry.trim())
        .filter((entry) => entry !== "")
        .map((entry) => {
          const origin = originOf(entry);
          if (!origin) {
            ctx.addIssue({
              code: "custom",
              message: `must be origins like https://app.example.com, not ${JSON.stringify(entry)}`,
            });
          }
          return origin ?? "";
        }),
    )
    .optional(),
};

function originOf(entry: string): string | null {
  try {
    const url = new URL(entry);
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    if (url.pathname !== "/" || url.search || url.hash || url.username) return null;
    return url.origin;
  } catch {
    return null;
  }
}

export interface RateLimitSettings {
  perKey: RatePolicy | null;
  perOrg: RatePolicy | null;
  /** Unauthenticated endpoints, per client address. */
  perIp: RatePolicy | null;
  /** Sign-in attempts, per client address. */
  signInPerIp: RatePolicy | null;
}

export interface LimitSettings {
  rateLimits: RateLimitSettings;
  planQuotas: PlanQuotas;
  usageFlushMs: number;
  /** Origins whose browsers may call the API (CORS); none: no CORS headers. */
  corsOrigins: string[];
}

type LimitsEnv = z.output<z.ZodObject<typeof LIMITS_ENV>>;

const policy = (name: string, rate: number, size: number | undefined): RatePolicy | null =>
  rate > 0 ? { name, ratePerSecond: rate, burst: size ?? Math.max(1, Math.ceil(rate * 2)) } : null;

const limit = (value: number) => (value > 0 ? value : null);

export function limitSettings(env: LimitsEnv): LimitSettings {
  const plan = (daily: number, monthly: number) => ({
    daily: limit(daily),
    monthly: limit(monthly),
  });
  const planQuotas: Record<Plan, ReturnType<typeof plan>> = {
    free: plan(env.PLAN_FREE_DAILY_EMAILS, env.PLAN_FREE_MONTHLY_EMAILS),
    pro: plan(env.PLAN_PRO_DAILY_EMAILS, env.PLAN_PRO_MONTHLY_EMAILS),
    enterprise: plan(env.PLAN_ENTERPRISE_DAILY_EMAILS, env.PLAN_ENTERPRISE_MONTHLY_EMAILS),
  };
  const signIn = env.RATE_LIMIT_SIGN_IN_PER_MINUTE;
  return {
    rateLimits: {
      perKey: policy("key", env.RATE_LIMIT_PER_KEY, env.RATE_LIMIT_PER_KEY_BURST),
      perOrg: policy("organization", env.RATE_LIMIT_PER_ORG, env.RATE_LIMIT_PER_ORG_BURST),
      perIp: policy("ip", env.RATE_LIMIT_PER_IP, env.RATE_LIMIT_PER_IP_BURST),
      signInPerIp:
        signIn > 0 ? { name: "sign_in", ratePerSecond: signIn / 60, burst: signIn } : null,
    },
    planQuotas,
    usageFlushMs: env.USAGE_FLUSH_SECONDS * 1000,
    corsOrigins: env.CORS_ORIGINS ?? [],
  };
}
