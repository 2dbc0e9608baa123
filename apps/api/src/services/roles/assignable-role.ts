import { and, eq } from "drizzle-orm";
import { customRoles } from "../../db/schema/index.ts";
import { AppError } from "../../lib/errors.ts";
import { assertMayGrant, type Grantor } from "../../lib/permissions.ts";
import {
  BUILT_IN_ROLES,
  isBuiltInRole,
  OrganizationRoles,
  rolePermissions,
} from "../../lib/roles.ts";
import { customRoleRows, type Tx } from "./role-definitions.ts";

/**
 * Checks, in the transaction that gives a member or an invitation `role`, that the role
 * exists (built-in, or one of the organization's: 422 otherwise) and that the grantor holds
 * all it grants (403). A custom role's row is locked for share: it cannot be deleted or
 * renamed before the member's row naming it commits.
 */
export async function assertAssignableRole(
  tx: Tx,
  orgId: string,
  role: string,
  grantor: Grantor,
): Promise<void> {
  if (isBuiltInRole(role)) {
    assertMayGrant(grantor, rolePermissions(role));
    return;
  }
  const [row] = await tx
    .select({ id: customRoles.id })
    .from(customRoles)
    .where(and(eq(customRoles.orgId, orgId), eq(customRoles.name, role)))
    .for("share");
  if (!row) {
    const message = `unknown role ${role}: one of ${BUILT_IN_ROLES.join(", ")}, or a custom role of the organization (GET /roles)`;
    throw new AppError("validation_error", `\`role\`: ${message}`, [{ path: "role", message }]);
  }
  const roles = new OrganizationRoles(await customRoleRows(tx, orgId));
  assertMayGrant(grantor, roles.permissionsOf(role));
}

/** What a member's current role grants, in the transaction (the grantor must hold it to change it). */
export async function currentRolePermissions(tx: Tx, orgId: string, role: string) {
  if (isBuiltInRole(role)) return rolePermissions(role);
  return new OrganizationRoles(await customRoleRows(tx, orgId)).permissionsOf(role);
}
