import { AppError } from "../../lib/errors.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { requireRotation } from "../sessions/sessions.ts";
import {
  lockMember,
  type MemberActor,
  memberEntry,
  memberOfUser,
  memberView,
  setRole,
} from "./members.ts";

/**
 * Hands the organization over: the member becomes an owner and the caller, an owner, becomes
 * an admin. Both have their sessions rotated. Audited as the transfer and the two role
 * changes it makes (so that `member.*` shows every change of role).
 */
export async function transferOwnership({
  ctx,
  memberId,
  now,
}: {
  ctx: MemberActor;
  memberId: string;
  now: Date;
}) {
  return ctx.db.transaction(async (tx) => {
    const target = await lockMember(tx, ctx.orgId, memberId);
    const self = await memberOfUser(tx, ctx.orgId, ctx.userId);
    if (self?.role !== "owner") {
      throw new AppError("forbidden", "Only an owner can transfer the ownership");
    }
    if (target.id === self.id) {
      throw new AppError("validation_error", "You are the owner already", [
        { path: "member_id", message: "must be another member" },
      ]);
    }
    await setRole(tx, target.id, "owner", now);
    await setRole(tx, self.id, "admin", now);
    await requireRotation(tx, target.userId, ctx.orgId);
    await requireRotation(tx, self.userId, ctx.orgId);
    const via = { via: "ownership_transfer" };
    await recordAudit(tx, ctx.audit, [
      {
        orgId: ctx.orgId,
        action: "organization.ownership_transferred",
        target: { type: "organization", id: ctx.orgId },
        details: {
          from: { member_id: self.id, user_id: self.userId, email: self.email },
          to: { member_id: target.id, user_id: target.userId, email: target.email },
        },
      },
      memberEntry(ctx.orgId, "member.role_changed", target, {
        from: target.role,
        to: "owner",
        ...via,
      }),
      memberEntry(ctx.orgId, "member.role_changed", self, { from: "owner", to: "admin", ...via }),
    ]);
    return memberView({ ...target, role: "owner" });
  });
}
