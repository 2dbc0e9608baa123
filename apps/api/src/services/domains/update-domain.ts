import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { domains } from "../../db/schema/index.ts";
import { notFound } from "../../lib/errors.ts";
import { type AuditOrigin, recordAudit } from "../audit/record-audit.ts";
import { recordEvent } from "../events/record-event.ts";
import { domainSummary } from "./domain-view.ts";
import { domainRecords, type RecordConfig } from "./records.ts";

export interface UpdateDomainInput {
  open_tracking?: boolean | undefined;
  click_tracking?: boolean | undefined;
  tls?: "opportunistic" | "enforced" | undefined;
  tracking_subdomain?: string | undefined;
}

/** Changes a domain's tracking and TLS settings (Resend's PATCH /domains/{id}). */
export async function updateDomain({
  ctx,
  id,
  input,
}: {
  ctx: { db: Db; orgId: string; config: RecordConfig; audit: AuditOrigin };
  id: string;
  input: UpdateDomainInput;
}) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(domains)
      .set({
        ...(input.open_tracking === undefined ? {} : { openTracking: input.open_tracking }),
        ...(input.click_tracking === undefined ? {} : { clickTracking: input.click_tracking }),
        ...(input.tls === undefined ? {} : { tls: input.tls }),
        ...(input.tracking_subdomain === undefined
          ? {}
          : { trackingSubdomain: input.tracking_subdomain }),
        updatedAt: new Date(),
      })
      .where(and(eq(domains.id, id), eq(domains.orgId, ctx.orgId)))
      .returning();
    if (!row) throw notFound("Domain");
    await recordEvent(tx, {
      orgId: ctx.orgId,
      type: "domain.updated",
      objectId: row.id,
      data: domainSummary(row, domainRecords(row, ctx.config)),
    });
    await recordAudit(tx, ctx.audit, {
      orgId: ctx.orgId,
      action: "domain.updated",
      target: { type: "domain", id: row.id },
      details: { name: row.name, changes: input },
    });
    return { object: "domain" as const, id: row.id };
  });
}
