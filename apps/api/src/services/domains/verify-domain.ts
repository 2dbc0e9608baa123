import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { domains } from "../../db/schema/index.ts";
import { jobSpec } from "../../jobs/catalog.ts";
import { addJobs } from "../../jobs/enqueue.ts";
import { notFound } from "../../lib/errors.ts";
import { type AuditOrigin, recordAudit } from "../audit/record-audit.ts";

/** One check of a domain waits in the queue at a time, whoever asked for it. */
export const domainVerifyJobKey = (domainId: string) => `domain_verify:${domainId}`;

/**
 * Asks for the domain's records to be checked now (a job; GET /domains/{id} shows the result).
 * A `failed` domain gets a new 72-hour window, as Resend's verify does.
 */
export async function verifyDomain({
  ctx,
  id,
}: {
  ctx: { db: Db; orgId: string; audit: AuditOrigin };
  id: string;
}) {
  await ctx.db.transaction(async (tx) => {
    const now = new Date();
    const [row] = await tx
      .update(domains)
      .set({
        status: sql`case when ${domains.status} in ('not_started', 'failed') then 'pending' else ${domains.status} end`,
        unverifiedSince: sql`case when ${domains.status} = 'failed' then ${now.toISOString()}::timestamptz else ${domains.unverifiedSince} end`,
        updatedAt: now,
      })
      .where(and(eq(domains.id, id), eq(domains.orgId, ctx.orgId)))
      .returning({ id: domains.id, name: domains.name });
    if (!row) throw notFound("Domain");
    await recordAudit(tx, ctx.audit, {
      orgId: ctx.orgId,
      action: "domain.verification_requested",
      target: { type: "domain", id },
      details: { name: row.name },
    });
    await addJobs(tx, [
      jobSpec(
        "domain_verify",
        { org_id: ctx.orgId, domain_id: id },
        { jobKey: domainVerifyJobKey(id), maxAttempts: 3 },
      ),
    ]);
  });
  return { object: "domain" as const, id };
}
