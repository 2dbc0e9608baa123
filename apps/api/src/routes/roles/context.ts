import type { Context } from "hono";
import type { AppEnv } from "../../lib/app-env.ts";
import { auditOrigin } from "../../lib/audit-origin.ts";
import type { RoleContext } from "../../services/roles/create-role.ts";

/** The roles services' context: the organization, and the caller as the grantor of rights. */
export function roleContext(c: Context<AppEnv>): RoleContext {
  const { deps, principal } = c.var;
  return {
    db: deps.database.db,
    orgId: principal.orgId,
    audit: auditOrigin(c),
    grantor: principal,
  };
}
