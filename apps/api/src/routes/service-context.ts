import type { Context } from "hono";
import type { AppEnv } from "../lib/app-env.ts";
import type { ServiceContext } from "../services/context.ts";

/** The service context of an authenticated request: its organization and key. */
export function serviceContext(c: Context<AppEnv>): ServiceContext {
  const { deps, apiKey } = c.var;
  return {
    db: deps.database.db,
    orgId: apiKey.orgId,
    apiKeyId: apiKey.id,
    emailWriter: deps.emailWriter,
    emailMaxAttempts: deps.config.emailMaxAttempts,
  };
}
