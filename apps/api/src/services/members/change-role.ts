import { assertMayGrant } from "../../lib/permissions.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { assertAssignableRole, currentRolePermissions } from "../roles/assignable-role.ts";
import { requireRotation } from "../sessions/sessions.ts";
import {
  assertMayTouchOwner,
  assertNotLastOwner,
  grantorOf,
  lockMember,
  type MemberActor,
  memberEntry,
  memberView,
  setRole,
} from "./members.ts";

/**
 * Changes a member's role: a built-in one or a custom role of the organization. Owners alone
 * make or unmake owners; the last owner stays one. Nobody changes the role of a member who
 * holds more than they do, nor gives a role that grants more (lib/permissions.ts). The
 * member's sessions in the organization rotate on their next request.
 */
export async function changeMemberRole({
  ctx,
  id,
  role,
  now,
}: {
  ctx: MemberActor;
  id: string;
  role: string;
  now: Date;
}) {
  return ctx.db.transaction(async (tx) => {
    const member = await lockMember(tx, ctx.orgId, id);
    if (member.role === role) return memberView(member);
    if (member.role === "owner" || role === "owner")
      assertMayTouchOwner(ctx, "change an owner's role or make an owner");
    if (member.role === "owner") {
      await assertNotLastOwner(
        tx,
        ctx.orgId,
        "This is the last owner: make someone else owner first",
      );
    }
    assertMayGrant(
      grantorOf(ctx),
      await currentRolePermissions(tx, ctx.orgId, member.role),
      "change the role of a member who has permissions you do not have",
    );
    await assertAssignableRole(tx, ctx.orgId, role, grantorOf(ctx));
    await setRole(tx, id, role, now);
    await requireRotation(tx, member.userId, ctx.orgId);
    await recordAudit(
      tx,
      ctx.audit,
      memberEntry(ctx.orgId, "member.role_changed", member, { from: member.role, to: role }),
    );
    return memberView({ ...member, role });
  });
}
