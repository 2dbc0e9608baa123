import type { Context } from "hono";
import type { AppEnv } from "../../lib/app-env.ts";
import { auditOrigin } from "../../lib/audit-origin.ts";
import type { WebhookContext } from "../../services/webhooks/webhook-context.ts";

export function webhookContext(c: Context<AppEnv>): WebhookContext {
  const { deps, principal } = c.var;
  return {
    db: deps.database.db,
    orgId: principal.orgId,
    secrets: deps.secrets,
    ssrfAllowList: deps.config.ssrfAllowList,
    audit: auditOrigin(c),
  };
}
