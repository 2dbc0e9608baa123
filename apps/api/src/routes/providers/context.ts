import type { Context } from "hono";
import type { AppEnv } from "../../lib/app-env.ts";
import { auditOrigin } from "../../lib/audit-origin.ts";
import type { ProviderContext } from "../../services/providers/provider-context.ts";

export function providerContext(c: Context<AppEnv>): ProviderContext {
  const { deps, principal } = c.var;
  return {
    db: deps.database.db,
    orgId: principal.orgId,
    secrets: deps.secrets,
    allowedNetworks: deps.config.providerAllowedNetworks,
    audit: auditOrigin(c),
  };
}
