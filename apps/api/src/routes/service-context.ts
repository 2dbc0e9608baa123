import type { Context } from "hono";
import type { AppEnv } from "../lib/app-env.ts";
import { auditOrigin } from "../lib/audit-origin.ts";
import type { ServiceContext } from "../services/context.ts";

/** The service context of an authenticated request: its organization and key. */
export function serviceContext(c: Context<AppEnv>): ServiceContext {
  const { deps, principal } = c.var;
  return {
    db: deps.database.db,
    orgId: principal.orgId,
    apiKeyId: principal.apiKeyId,
    apiKeyDomainId: principal.domainId,
    emailWriter: deps.emailWriter,
    emailMaxAttempts: deps.config.emailMaxAttempts,
    senders: deps.senders,
    audit: auditOrigin(c),
    quota: deps.quota,
    usage: deps.usage,
  };
}

/** Domain operations also need the secrets box (DKIM keys) and the record settings. */
export function domainContext(c: Context<AppEnv>) {
  return { ...serviceContext(c), secrets: c.var.deps.secrets, config: c.var.deps.config };
}
