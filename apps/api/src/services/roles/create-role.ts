import type { Db } from "../../db/client.ts";
import { customRoles } from "../../db/schema/index.ts";
import { AppError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { assertMayGrant, type Grantor, type Permission } from "../../lib/permissions.ts";
import { resolveRoles } from "../../lib/roles.ts";
import { type AuditOrigin, recordAudit } from "../audit/record-audit.ts";
import { isUniqueViolation } from "../providers/unique-violation.ts";
import { customRoleRows, lockRoles, MAX_CUSTOM_ROLES, parentOf } from "./role-definitions.ts";
import { customRoleView, type RoleView } from "./role-view.ts";

export interface RoleContext {
  db: Db;
  orgId: string;
  audit: AuditOrigin;
  /** Who creates or changes it: a role never grants more than they hold. */
  grantor: Grantor;
}

export interface CreateRoleInput {
  name: string;
  description?: string | undefined;
  permissions: Permission[];
  /** A built-in role (not owner), or a custom role's id or name. */
  extends?: string | undefined;
}

export async function createRole({
  ctx,
  input,
}: {
  ctx: RoleContext;
  input: CreateRoleInput;
}): Promise<RoleView> {
  try {
    return await ctx.db.transaction(async (tx) => {
      await lockRoles(tx, ctx.orgId);
      const rows = await customRoleRows(tx, ctx.orgId);
      if (rows.length >= MAX_CUSTOM_ROLES) {
        throw new AppError(
          "invalid_state",
          `This organization has ${MAX_CUSTOM_ROLES} custom roles, the most it may have: delete one first`,
        );
      }
      if (rows.some((row) => row.name === input.name)) throw nameTaken(input.name);
      const now = new Date();
      const row = {
        id: newId(),
        orgId: ctx.orgId,
        name: input.name,
        description: input.description ?? null,
        permissions: input.permissions,
        ...parentOf(rows, input.extends ?? null),
        createdAt: now,
        updatedAt: now,
      };
      const all = [...rows, row];
      const resolved = resolveRoles(all).get(row.id) ?? new Set<Permission>();
      assertMayGrant(ctx.grantor, resolved);
      await tx.insert(customRoles).values(row);
      await recordAudit(tx, ctx.audit, {
        orgId: ctx.orgId,
        action: "role.created",
        target: { type: "role", id: row.id },
        details: {
          name: row.name,
          permissions: input.permissions,
          extends: input.extends ?? null,
        },
      });
      return customRoleView(row, all, resolved);
    });
  } catch (error) {
    // Two creations of one name at once: the unique index decides.
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    throw error;
  }
}

export function nameTaken(name: string): AppError {
  return new AppError("already_exists", `A role named ${name} exists already`, [
    { path: "name", message: "is taken" },
  ]);
}
