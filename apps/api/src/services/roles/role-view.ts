import {
  CUSTOM_ROLE_PERMISSIONS,
  type Permission,
  permissionSet,
  sortedPermissions,
} from "../../lib/permissions.ts";
import {
  BUILT_IN_DESCRIPTIONS,
  BUILT_IN_ROLES,
  type BuiltInRole,
  rolePermissions,
} from "../../lib/roles.ts";
import type { CustomRoleRow } from "./role-definitions.ts";

export interface RoleView {
  object: "role";
  id: string;
  name: string;
  description: string | null;
  built_in: boolean;
  extends: string | null;
  permissions: Permission[];
  resolved_permissions: Permission[];
  created_at: string | null;
  updated_at: string | null;
}

/** A built-in role: its id is its name, and its permissions are all its own. */
export function builtInRoleView(role: BuiltInRole): RoleView {
  const permissions = sortedPermissions(rolePermissions(role));
  return {
    object: "role",
    id: role,
    name: role,
    description: BUILT_IN_DESCRIPTIONS[role],
    built_in: true,
    extends: null,
    permissions,
    resolved_permissions: permissions,
    created_at: null,
    updated_at: null,
  };
}

export const builtInRoleViews = (): RoleView[] => BUILT_IN_ROLES.map(builtInRoleView);

/** A custom role, with the name of the role it extends and its permissions resolved. */
export function customRoleView(
  row: CustomRoleRow,
  rows: readonly CustomRoleRow[],
  resolved: ReadonlySet<Permission>,
): RoleView {
  const parent = row.extendsRoleId ? rows.find((other) => other.id === row.extendsRoleId) : null;
  return {
    object: "role",
    id: row.id,
    name: row.name,
    description: row.description,
    built_in: false,
    extends: row.extendsBuiltIn ?? parent?.name ?? null,
    permissions: sortedPermissions(permissionSet(row.permissions, CUSTOM_ROLE_PERMISSIONS)),
    resolved_permissions: sortedPermissions(resolved),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
