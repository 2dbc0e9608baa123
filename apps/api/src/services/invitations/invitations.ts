import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { invitations, memberships, organizations, users } from "../../db/schema/index.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { type PageRequest, pageQuery, toPage } from "../../lib/pagination.ts";
import { type AuditEntry, recordAudit } from "../audit/record-audit.ts";
import type { IdentityContext } from "../auth/identity-context.ts";
import { assertMayTouchOwner, grantorOf, type MemberActor } from "../members/members.ts";
import { assertAssignableRole } from "../roles/assignable-role.ts";
import { sendSystemEmail } from "../system-mail/send-system-email.ts";
import { invitationEmail } from "../system-mail/templates.ts";
import { issueLinkToken } from "../users/link-tokens.ts";
import { normalizeEmail } from "../users/login-throttle.ts";

type InvitationRow = typeof invitations.$inferSelect;

function status(row: InvitationRow, now: Date) {
  if (row.acceptedAt) return "accepted" as const;
  if (row.revokedAt) return "revoked" as const;
  return row.expiresAt <= now ? ("expired" as const) : ("pending" as const);
}

function invitationEntry(
  action: string,
  row: Pick<InvitationRow, "id" | "orgId" | "email" | "role">,
  details: Record<string, unknown> = {},
): AuditEntry {
  return {
    orgId: row.orgId,
    action,
    target: { type: "invitation", id: row.id },
    details: { email: row.email, role: row.role, ...details },
  };
}

export function invitationView(row: InvitationRow, now: Date) {
  return {
    object: "invitation" as const,
    id: row.id,
    email: row.email,
    role: row.role,
    status: status(row, now),
    expires_at: row.expiresAt.toISOString(),
    created_at: row.createdAt.toISOString(),
  };
}

/**
 * Invites someone by email: the invitation and the email carrying its link commit together.
 * A pending invitation of the same address is replaced (its link stops working: audited as
 * revoked). The role is
 * a built-in one or a custom role of the organization, never one granting more than the
 * inviter holds.
 */
export async function createInvitation({
  ctx,
  actor,
  input,
}: {
  ctx: IdentityContext;
  actor: MemberActor;
  input: { email: string; role: string };
}) {
  if (input.role === "owner") assertMayTouchOwner(actor, "invite an owner");
  const email = normalizeEmail(input.email);
  return ctx.db.transaction(async (tx) => {
    await assertAssignableRole(tx, actor.orgId, input.role, grantorOf(actor));
    const [existing] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, actor.orgId), sql`lower(${users.email}) = ${email}`));
    if (existing) {
      throw new AppError("already_exists", `${email} is a member already`, [
        { path: "email", message: "is a member already" },
      ]);
    }
    const replaced = await tx
      .update(invitations)
      .set({ revokedAt: ctx.now })
      .where(
        and(
          eq(invitations.orgId, actor.orgId),
          eq(invitations.email, email),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      )
      .returning();
    const { token, hash } = issueLinkToken();
    const expiresAt = new Date(ctx.now.getTime() + ctx.settings.invitationMs);
    const [row] = await tx
      .insert(invitations)
      .values({
        id: newId(),
        orgId: actor.orgId,
        email,
        role: input.role,
        tokenHash: hash,
        invitedBy: actor.userId,
        expiresAt,
        createdAt: ctx.now,
      })
      .returning();
    const [org] = await tx
      .select({ name: organizations.name, inviter: users.email })
      .from(organizations)
      .leftJoin(users, eq(users.id, actor.userId))
      .where(eq(organizations.id, actor.orgId));
    const link = `${ctx.publicUrl}/accept-invitation?token=${encodeURIComponent(token)}`;
    await sendSystemEmail(
      tx,
      ctx.mail,
      invitationEmail({
        to: email,
        organizationName: org?.name ?? "an organization",
        inviter: org?.inviter ?? null,
        role: input.role,
        link,
        expiresAt,
      }),
      ctx.now,
    );
    if (!row) throw new Error("insert returned no row");
    await recordAudit(tx, actor.audit, [
      ...replaced.map((old) => invitationEntry("invitation.revoked", old, { replaced_by: row.id })),
      invitationEntry("invitation.created", row, { expires_at: expiresAt.toISOString() }),
    ]);
    return invitationView(row, ctx.now);
  });
}

/** The organization's invitations still waiting for an answer, newest first. */
export async function listInvitations({
  ctx,
  orgId,
  page,
}: {
  ctx: Pick<IdentityContext, "db" | "now">;
  orgId: string;
  page: PageRequest;
}) {
  const query = pageQuery(
    invitations.id,
    page,
    and(
      eq(invitations.orgId, orgId),
      isNull(invitations.acceptedAt),
      isNull(invitations.revokedAt),
      gt(invitations.expiresAt, ctx.now),
    ),
  );
  const rows = await ctx.db
    .select()
    .from(invitations)
    .where(query.where)
    .orderBy(query.orderBy)
    .limit(query.limit);
  return toPage(rows, page, (row) => invitationView(row, ctx.now));
}

/** Revokes a pending invitation: its link stops working. 404 for another organization's. */
export async function revokeInvitation({
  ctx,
  orgId,
  id,
}: {
  ctx: Pick<IdentityContext, "db" | "now" | "audit">;
  orgId: string;
  id: string;
}) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.id, id), eq(invitations.orgId, orgId)))
      .for("update");
    if (!row) throw notFound("Invitation");
    if (row.acceptedAt) throw new AppError("invalid_state", "This invitation was accepted already");
    // Revoked already: answered the same, with nothing changed to audit.
    if (!row.revokedAt) {
      await tx.update(invitations).set({ revokedAt: ctx.now }).where(eq(invitations.id, id));
      await recordAudit(tx, ctx.audit, invitationEntry("invitation.revoked", row));
    }
    return { object: "invitation" as const, id, deleted: true as const };
  });
}

export type { InvitationRow };
