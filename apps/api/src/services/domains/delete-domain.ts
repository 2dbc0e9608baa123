import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { domains } from "../../db/schema/index.ts";
import { notFound } from "../../lib/errors.ts";
import { type AuditOrigin, recordAudit } from "../audit/record-audit.ts";
import { recordEvent } from "../events/record-event.ts";
import { domainSummary } from "./domain-view.ts";
import { domainRecords, type RecordConfig } from "./records.ts";

/**
 * Removes a domain and its DKIM key. Nothing more is sent from it: the accept path no longer
 * finds it, and emails already queued are not signed or sent (the worker re-reads the domain).
 */
export async function deleteDomain({
  ctx,
  id,
}: {
  ctx: { db: Db; orgId: string; config: RecordConfig; audit: AuditOrigin };
  id: string;
}) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(domains)
      .where(and(eq(domains.id, id), eq(domains.orgId, ctx.orgId)))
      .returning();
    if (!row) throw notFound("Domain");
    const { records: _, ...summary } = domainSummary(row, domainRecords(row, ctx.config));
    await recordEvent(tx, {
      orgId: ctx.orgId,
      type: "domain.deleted",
      objectId: row.id,
      data: summary,
    });
    await recordAudit(tx, ctx.audit, {
      orgId: ctx.orgId,
      action: "domain.deleted",
      target: { type: "domain", id: row.id },
      details: { name: row.name },
    });
    return { object: "domain" as const, id: row.id, deleted: true as const };
  });
}
