import type { Context } from "hono";
import type { AppEnv } from "../../lib/app-env.ts";
import { auditOrigin } from "../../lib/audit-origin.ts";
import type { OidcContext } from "../../services/oidc/connections.ts";

/** The organization's context for its settings and single sign-on. */
export function organizationContext(c: Context<AppEnv>): OidcContext {
  const { deps, principal } = c.var;
  return {
    db: deps.database.db,
    orgId: principal.orgId,
    secrets: deps.secrets,
    oidc: deps.oidc,
    publicUrl: deps.config.publicUrl,
    redirectUri: `${deps.config.publicUrl}/auth/oidc/callback`,
    audit: auditOrigin(c),
  };
}
