import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { apiKeys, invitations, organizations, sessions } from "../../db/schema/index.ts";
import { jobSpec } from "../../jobs/catalog.ts";
import { addJobs } from "../../jobs/enqueue.ts";
import { notFound } from "../../lib/errors.ts";
import { type AuditOrigin, recordAudit } from "../audit/record-audit.ts";

/**
 * Deletes an organization: at once, nobody can act for it any more (its keys are revoked, its
 * sessions lose it, its invitations die); its data is then purged by the organization_purge
 * job, in chunks (services/organizations/purge-organization.ts). Answers the revoked keys, for
 * the caller to drop from its caches. Audited as `organization.deletion_requested` and an
 * `api_key.revoked` per key; the entries outlive the purge (audit_logs is kept).
 */
export async function deleteOrganization({
  ctx,
  now,
}: {
  ctx: { db: Db; orgId: string; audit: AuditOrigin };
  now: Date;
}): Promise<{
  result: { object: "organization"; id: string; deleted: true };
  revokedKeys: string[];
}> {
  return ctx.db.transaction(async (tx) => {
    const [marked] = await tx
      .update(organizations)
      .set({ deletedAt: now })
      .where(and(eq(organizations.id, ctx.orgId), isNull(organizations.deletedAt)))
      .returning({ id: organizations.id });
    if (!marked) throw notFound("Organization");
    const keys = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiKeys.orgId, ctx.orgId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id, name: apiKeys.name, tokenPrefix: apiKeys.tokenPrefix });
    const invitationsRevoked = await tx
      .update(invitations)
      .set({ revokedAt: now })
      .where(
        and(
          eq(invitations.orgId, ctx.orgId),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      )
      .returning({ id: invitations.id });
    await tx.update(sessions).set({ orgId: null }).where(eq(sessions.orgId, ctx.orgId));
    await addJobs(tx, [
      jobSpec(
        "organization_purge",
        { org_id: ctx.orgId },
        { jobKey: `organization_purge:${ctx.orgId}` },
      ),
    ]);
    await recordAudit(tx, ctx.audit, [
      {
        orgId: ctx.orgId,
        action: "organization.deletion_requested",
        target: { type: "organization", id: ctx.orgId },
        details: { api_keys_revoked: keys.length, invitations_revoked: invitationsRevoked.length },
      },
      ...keys.map((key) => ({
        orgId: ctx.orgId,
        action: "api_key.revoked",
        target: { type: "api_key", id: key.id },
        details: { name: key.name, token_prefix: key.tokenPrefix, reason: "organization_deleted" },
      })),
    ]);
    return {
      result: { object: "organization", id: ctx.orgId, deleted: true },
      revokedKeys: keys.map((key) => key.id),
    };
  });
}
