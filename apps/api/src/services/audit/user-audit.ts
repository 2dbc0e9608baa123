import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { AuditEntry, AuditOrigin } from "./record-audit.ts";

/**
 * `origin` with the person as its actor. On routes anyone may call (sign-in, password reset,
 * single sign-on), the account the request is about is the only identity at hand: it is the
 * actor, and the entry's ip and user agent tell who sent the request.
 */
export function actingAs(origin: AuditOrigin, userId: string | null): AuditOrigin {
  return { ...origin, actor: { type: "user", id: userId } };
}

export const userTarget = (userId: string) => ({ type: "user", id: userId });

/** Matches no membership: an unknown account records nothing, by the same statement. */
const NO_USER = "00000000-0000-0000-0000-000000000000";

/**
 * Records an event of a person's account (a sign-in, an MFA change, a password reset) in each
 * organization they belong to, on `tx`: audit entries are per organization, and each one's
 * admins should see what happens to the accounts that can act for it. One statement whether
 * the user has organizations or not, or is not known at all (`userId` null): a failed sign-in
 * takes as long for an unknown email as for a known one.
 */
export async function recordUserAudit(
  tx: Pick<Db, "execute">,
  origin: AuditOrigin,
  userId: string | null,
  entry: Omit<AuditEntry, "orgId">,
): Promise<void> {
  const details = entry.details ? JSON.stringify(entry.details) : null;
  await tx.execute(sql`
    insert into audit_logs (id, org_id, actor_type, actor_id, action, target_type, target_id,
      ip, user_agent, request_id, details, created_at)
    select thrive_uuidv7(), m.org_id, ${origin.actor.type}, ${origin.actor.id}::uuid,
      ${entry.action}, ${entry.target?.type ?? null}, ${entry.target?.id ?? null},
      ${origin.ip}, ${origin.userAgent}, ${origin.requestId}, ${details}::jsonb, clock_timestamp()
    from memberships m
    join organizations o on o.id = m.org_id and o.deleted_at is null
    where m.user_id = ${userId ?? NO_USER}::uuid`);
}
