import { AppError } from "../../lib/errors.ts";
import { isBuiltInRole } from "../../lib/roles.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { requireRotation } from "../sessions/sessions.ts";
import {
  assertMayTouchOwner,
  assertNotLastOwner,
  lockMember,
  type MemberActor,
  memberEntry,
  memberView,
  setRole,
} from "./members.ts";

/**
 * Changes a member's role. Owners alone make or unmake owners; the last owner stays one. The
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
  if (!isBuiltInRole(role)) throw new AppError("validation_error", `Unknown role ${role}`);
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
