import type { Db } from "../../db/client.ts";
import { isBuiltInRole, resolveRoles } from "../../lib/roles.ts";
import { customRoleRows, findCustomRole } from "./role-definitions.ts";
import { builtInRoleView, builtInRoleViews, customRoleView, type RoleView } from "./role-view.ts";

type Ctx = { db: Pick<Db, "select">; orgId: string };

/**
 * The roles members can have: the built-in ones first, then the organization's own, oldest
 * first. All of them: an organization has at most MAX_CUSTOM_ROLES.
 */
export async function listRoles({ ctx }: { ctx: Ctx }) {
  const rows = await customRoleRows(ctx.db, ctx.orgId);
  const resolved = resolveRoles(rows);
  const custom = rows.map((row) => customRoleView(row, rows, resolved.get(row.id) ?? new Set()));
  return {
    object: "list" as const,
    data: [...builtInRoleViews(), ...custom],
    has_more: false as const,
  };
}

/** A role by its id, or by its name (a built-in role's id is its name). */
export async function getRole({ ctx, id }: { ctx: Ctx; id: string }): Promise<RoleView> {
  if (isBuiltInRole(id)) return builtInRoleView(id);
  const rows = await customRoleRows(ctx.db, ctx.orgId);
  const row = findCustomRole(rows, id);
  return customRoleView(row, rows, resolveRoles(rows).get(row.id) ?? new Set());
}
