import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { memberships, users } from "../../db/schema/index.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { type PageRequest, pageQuery, toPage } from "../../lib/pagination.ts";
import type { Grantor, Permission } from "../../lib/permissions.ts";
import type { AuditEntry, AuditOrigin } from "../audit/record-audit.ts";

/** Who acts on the members: the organization, the acting user, their role and its rights. */
export interface MemberActor {
  db: Db;
  orgId: string;
  userId: string;
  role: string;
  /** The acting user, from where, for the audit entries. */
  audit: AuditOrigin;
  permissions: ReadonlySet<Permission>;
}

/** A member acting, as the one who gives roles away (lib/permissions.ts assertMayGrant). */
export function grantorOf(actor: Pick<MemberActor, "permissions">): Grantor {
  return { kind: "session", permissions: actor.permissions };
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

const memberColumns = {
  id: memberships.id,
  userId: memberships.userId,
  role: memberships.role,
  createdAt: memberships.createdAt,
  email: users.email,
  name: users.name,
};

export interface MemberRow {
  id: string;
  userId: string;
  role: string;
  createdAt: Date;
  email: string;
  name: string | null;
}

export function memberView(row: MemberRow) {
  return {
    object: "member" as const,
    id: row.id,
    user_id: row.userId,
    email: row.email,
    name: row.name,
    role: row.role,
    created_at: row.createdAt.toISOString(),
  };
}

export async function listMembers({
  ctx,
  page,
}: {
  ctx: Pick<MemberActor, "db" | "orgId">;
  page: PageRequest;
}) {
  const query = pageQuery(memberships.id, page, eq(memberships.orgId, ctx.orgId));
  const rows = await ctx.db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(query.where)
    .orderBy(query.orderBy)
    .limit(query.limit);
  return toPage(rows, page, memberView);
}

/** A member of the organization, locked for the transaction's change; 404 for any other id. */
export async function lockMember(tx: Tx, orgId: string, id: string): Promise<MemberRow> {
  const [row] = await tx
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.id, id), eq(memberships.orgId, orgId)))
    .for("update", { of: memberships });
  if (!row) throw notFound("Member");
  return row;
}

export async function memberOfUser(tx: Tx, orgId: string, userId: string) {
  const [row] = await tx
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.userId, userId), eq(memberships.orgId, orgId)))
    .for("update", { of: memberships });
  return row;
}

/**
 * The organization's owners, their rows locked: two owners demoting each other at once must
 * not leave none (the second sees the first's change and is refused).
 */
export async function ownerCount(tx: Tx, orgId: string): Promise<number> {
  const rows = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, "owner")))
    .for("update");
  return rows.length;
}

/** Only an owner may make an owner, or change or remove one. */
export function assertMayTouchOwner(actor: Pick<MemberActor, "role">, what: string): void {
  if (actor.role !== "owner") {
    throw new AppError("forbidden", `Only an owner can ${what}`);
  }
}

export async function assertNotLastOwner(tx: Tx, orgId: string, message: string) {
  if ((await ownerCount(tx, orgId)) <= 1) throw new AppError("invalid_state", message);
}

/** An audit entry about a member, with who they are (their row goes when they are removed). */
export function memberEntry(
  orgId: string,
  action: string,
  member: Pick<MemberRow, "id" | "userId" | "email">,
  details: Record<string, unknown>,
): AuditEntry {
  return {
    orgId,
    action,
    target: { type: "member", id: member.id },
    details: { user_id: member.userId, email: member.email, ...details },
  };
}

export async function setRole(tx: Tx, id: string, role: string, now: Date) {
  await tx.update(memberships).set({ role, updatedAt: now }).where(eq(memberships.id, id));
}
