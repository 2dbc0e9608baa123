import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { apiKeys, invitations, organizations, sessions } from "../../db/schema/index.ts";
import { jobSpec } from "../../jobs/catalog.ts";
import { addJobs } from "../../jobs/enqueue.ts";
import { notFound } from "../../lib/errors.ts";

/**
 * Deletes an organization: at once, nobody can act for it any more (its keys are revoked, its
 * sessions lose it, its invitations die); its data is then purged by the organization_purge
 * job, in chunks (services/organizations/purge-organization.ts). Answers the revoked keys, for
 * the caller to drop from its caches.
 */
export async function deleteOrganization({
  ctx,
  now,
}: {
  ctx: { db: Db; orgId: string };
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
      .returning({ id: apiKeys.id });
    await tx
      .update(invitations)
      .set({ revokedAt: now })
      .where(
        and(
          eq(invitations.orgId, ctx.orgId),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      );
    await tx.update(sessions).set({ orgId: null }).where(eq(sessions.orgId, ctx.orgId));
    await addJobs(tx, [
      jobSpec(
        "organization_purge",
        { org_id: ctx.orgId },
        { jobKey: `organization_purge:${ctx.orgId}` },
      ),
    ]);
    return {
      result: { object: "organization", id: ctx.orgId, deleted: true },
      revokedKeys: keys.map((key) => key.id),
    };
  });
}
