import { and, eq, inArray, isNull } from "drizzle-orm";
import { customRoles, invitations, memberships, sessions } from "../../db/schema/index.ts";
import { assertMayGrant, type Permission } from "../../lib/permissions.ts";
import { findCycle, resolveRoles } from "../../lib/roles.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { RoleContext } from "./create-role.ts";
import { nameTaken } from "./create-role.ts";
import {
  type CustomRoleRow,
  customRoleRows,
  extendsError,
  lockCustomRole,
  lockRoles,
  parentOf,
  type Tx,
} from "./role-definitions.ts";
import { customRoleView, type RoleView } from "./role-view.ts";

export interface UpdateRoleInput {
  name?: string | undefined;
  description?: string | null | undefined;
  permissions?: Permission[] | undefined;
  /** null: it extends nothing any more. */
  extends?: string | null | undefined;
}

/**
 * Changes a custom role. A rename renames it in its members' and invitations' rows too (they
 * name it); a change of rights rotates the sessions of the members it reaches (its own and
 * those of the roles extending it), as a change of a member's role does.
 */
export async function updateRole({
  ctx,
  id,
  input,
}: {
  ctx: RoleContext;
  id: string;
  input: UpdateRoleInput;
}): Promise<RoleView> {
  return ctx.db.transaction(async (tx) => {
    await lockRoles(tx, ctx.orgId);
    const current = await lockCustomRole(tx, ctx.orgId, id);
    const rows = await customRoleRows(tx, ctx.orgId);
    const before = resolveRoles(rows);
    // The caller must hold what the role grants today, too: no editing a mightier role.
    assertMayGrant(ctx.grantor, before.get(current.id) ?? []);

    const name = input.name ?? current.name;
    if (name !== current.name && rows.some((row) => row.name === name)) throw nameTaken(name);
    const parent =
      input.extends === undefined
        ? { extendsBuiltIn: current.extendsBuiltIn, extendsRoleId: current.extendsRoleId }
        : parentOf(rows, input.extends);
    if (parent.extendsRoleId === current.id) throw extendsError("a role cannot extend itself");
    const changed: CustomRoleRow = {
      ...current,
      name,
      description: input.description === undefined ? current.description : input.description,
      permissions: input.permissions ?? current.permissions,
      ...parent,
      updatedAt: new Date(),
    };
    const all = rows.map((row) => (row.id === current.id ? changed : row));
    const cycle = findCycle(all, current.id);
    if (cycle) throw extendsError(`it would make a cycle: ${cycle.join(" → ")}`);
    const after = resolveRoles(all);
    assertMayGrant(ctx.grantor, after.get(current.id) ?? []);

    await tx
      .update(customRoles)
      .set({
        name: changed.name,
        description: changed.description,
        permissions: changed.permissions,
        extendsBuiltIn: changed.extendsBuiltIn,
        extendsRoleId: changed.extendsRoleId,
        updatedAt: changed.updatedAt,
      })
      .where(eq(customRoles.id, current.id));
    if (name !== current.name) await rename(tx, ctx.orgId, current.name, name);
    const reached = all
      .filter((row) => !sameSet(before.get(row.id), after.get(row.id)))
      .map((row) => row.name);
    await rotateSessionsOf(tx, ctx.orgId, reached);
    await recordAudit(tx, ctx.audit, {
      orgId: ctx.orgId,
      action: "role.updated",
      target: { type: "role", id: current.id },
      details: changes(current, changed, input),
    });
    return customRoleView(changed, all, after.get(current.id) ?? new Set());
  });
}

async function rename(tx: Tx, orgId: string, from: string, to: string): Promise<void> {
  await tx
    .update(memberships)
    .set({ role: to })
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, from)));
  await tx
    .update(invitations)
    .set({ role: to })
    .where(and(eq(invitations.orgId, orgId), eq(invitations.role, from)));
}

/** Members of these roles get a new session on their next request, as after a role change. */
async function rotateSessionsOf(tx: Tx, orgId: string, roles: string[]): Promise<void> {
  if (roles.length === 0) return;
  await tx
    .update(sessions)
    .set({ rotationRequired: true })
    .where(
      and(
        eq(sessions.orgId, orgId),
        isNull(sessions.revokedAt),
        inArray(
          sessions.userId,
          tx
            .select({ userId: memberships.userId })
            .from(memberships)
            .where(and(eq(memberships.orgId, orgId), inArray(memberships.role, roles))),
        ),
      ),
    );
}

function sameSet(a: ReadonlySet<Permission> | undefined, b: ReadonlySet<Permission> | undefined) {
  if (!a || !b) return a === b;
  return a.size === b.size && [...a].every((permission) => b.has(permission));
}

function changes(before: CustomRoleRow, after: CustomRoleRow, input: UpdateRoleInput) {
  const details: Record<string, unknown> = {};
  if (before.name !== after.name) details.name = { from: before.name, to: after.name };
  if (input.permissions) details.permissions = { from: before.permissions, to: after.permissions };
  if (input.extends !== undefined) details.extends = input.extends;
  if (input.description !== undefined) details.description_changed = true;
  return details;
}
