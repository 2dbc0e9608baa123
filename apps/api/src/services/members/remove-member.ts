import { and, eq, isNull } from "drizzle-orm";
import { memberships, sessions } from "../../db/schema/index.ts";
import { AppError } from "../../lib/errors.ts";
import { assertMayGrant } from "../../lib/permissions.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { currentRolePermissions } from "../roles/assignable-role.ts";
import {
  assertMayTouchOwner,
  assertNotLastOwner,
  grantorOf,
  lockMember,
  type MemberActor,
  memberEntry,
  memberOfUser,
} from "./members.ts";

type Tx = Parameters<Parameters<MemberActor["db"]["transaction"]>[0]>[0];

async function removeMembership(tx: Tx, orgId: string, member: { id: string; userId: string }) {
  await tx.delete(memberships).where(eq(memberships.id, member.id));
  // Their sessions lose the organization at once (the role lookup would refuse them anyway).
  await tx
    .update(sessions)
    .set({ orgId: null })
    .where(
      and(
        eq(sessions.userId, member.userId),
        eq(sessions.orgId, orgId),
        isNull(sessions.revokedAt),
      ),
    );
}

/**
 * Removes a member: an owner only by an owner, never the last one; nobody removes a member who
 * holds more than they do.
 */
export async function removeMember({ ctx, id }: { ctx: MemberActor; id: string }) {
  return ctx.db.transaction(async (tx) => {
    const member = await lockMember(tx, ctx.orgId, id);
    if (member.role === "owner") {
      assertMayTouchOwner(ctx, "remove an owner");
      await assertNotLastOwner(tx, ctx.orgId, "This is the last owner: an organization needs one");
    }
    assertMayGrant(
      grantorOf(ctx),
      await currentRolePermissions(tx, ctx.orgId, member.role),
      "remove a member who has permissions you do not have",
    );
    await removeMembership(tx, ctx.orgId, member);
    await recordAudit(
      tx,
      ctx.audit,
      memberEntry(ctx.orgId, "member.removed", member, { role: member.role }),
    );
    return { object: "member" as const, id, deleted: true as const };
  });
}

/** The caller leaves the organization; its last owner cannot (delete it, or hand it over). */
export async function leaveOrganization({ ctx }: { ctx: MemberActor }) {
  return ctx.db.transaction(async (tx) => {
    const member = await memberOfUser(tx, ctx.orgId, ctx.userId);
    if (!member) throw new AppError("forbidden", "You are not a member of this organization");
    if (member.role === "owner") {
      await assertNotLastOwner(
        tx,
        ctx.orgId,
        "You are the last owner: transfer the ownership or delete the organization",
      );
    }
    await removeMembership(tx, ctx.orgId, member);
    await recordAudit(
      tx,
      ctx.audit,
      memberEntry(ctx.orgId, "member.left", member, { role: member.role }),
    );
    return { object: "member" as const, id: member.id, deleted: true as const };
  });
}
