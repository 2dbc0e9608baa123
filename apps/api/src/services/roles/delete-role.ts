import { eq, sql } from "drizzle-orm";
import { customRoles } from "../../db/schema/index.ts";
import { AppError } from "../../lib/errors.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { RoleContext } from "./create-role.ts";
import { lockCustomRole, lockRoles } from "./role-definitions.ts";

/**
 * Deletes a custom role nobody uses: 409 invalid_state while members have it, a pending
 * invitation offers it or another role extends it (give them another role first), so that no
 * member is ever left with a role that means nothing.
 */
export async function deleteRole({ ctx, id }: { ctx: Omit<RoleContext, "grantor">; id: string }) {
  return ctx.db.transaction(async (tx) => {
    await lockRoles(tx, ctx.orgId);
    // Locked first: a member being given this role right now commits before the count below.
    const role = await lockCustomRole(tx, ctx.orgId, id);
    // One statement, one snapshot: an invitation accepted meanwhile is counted once, not never.
    const [usage] = await tx.execute<{ members: number; invitations: number; extending: string[] }>(
      sql`select
        (select count(*)::int from memberships
          where org_id = ${ctx.orgId} and role = ${role.name}) as members,
        (select count(*)::int from invitations
          where org_id = ${ctx.orgId} and role = ${role.name} and accepted_at is null
            and revoked_at is null and expires_at > now()) as invitations,
        array(select name from custom_roles
          where org_id = ${ctx.orgId} and extends_role_id = ${role.id} order by name) as extending`,
    );
    const uses = [
      plural(Number(usage?.members ?? 0), "member has it", "members have it"),
      plural(
        Number(usage?.invitations ?? 0),
        "pending invitation offers it",
        "pending invitations offer it",
      ),
      usage?.extending.length
        ? `${usage.extending.join(", ")} extend${usage.extending.length === 1 ? "s" : ""} it`
        : null,
    ].filter((use) => use !== null);
    if (uses.length > 0) {
      throw new AppError(
        "invalid_state",
        `The role ${role.name} is in use (${uses.join("; ")}): give them another role first`,
      );
    }
    await tx.delete(customRoles).where(eq(customRoles.id, role.id));
    await recordAudit(tx, ctx.audit, {
      orgId: ctx.orgId,
      action: "role.deleted",
      target: { type: "role", id: role.id },
      details: { name: role.name },
    });
    return { object: "role" as const, id: role.id, deleted: true as const };
  });
}

function plural(n: number, one: string, many: string): string | null {
  if (n === 0) return null;
  return n === 1 ? `1 ${one}` : `${n} ${many}`;
}
