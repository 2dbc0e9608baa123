import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { domains, organizations, sendingStats } from "../../db/schema/index.ts";
import { notFound } from "../../lib/errors.ts";
import { type AuditOrigin, recordAudit } from "../audit/record-audit.ts";
import type { RecordConfig } from "../domains/records.ts";
import type { SendingDomains } from "../domains/sending-domains.ts";
import { recordEvent } from "../events/record-event.ts";
import { heldFlag } from "./hold-emails.ts";
import { type ResumeMark, utcDay } from "./rates.ts";
import { domainEventData, organizationEventData } from "./sending-state.ts";
import { RESUME_MARK_KEY } from "./window-stats.ts";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/**
 * Resumes a paused domain, or the whole organization without `domainId`: an admin's decision,
 * recorded as an event that also keeps the counts of the day so far. Rates are then judged only
 * on what is counted after the resume (rates.ts judgedCounts), so the old window that caused
 * the pause does not pause again at the next run; the minimum volume must be sent anew first.
 * Emails held meanwhile are brought forward. Resuming what is not paused changes nothing.
 */
export async function resumeSending({
  ctx,
  config,
  domainId,
}: {
  ctx: { db: Db; orgId: string; senders: { domains: SendingDomains }; audit: AuditOrigin };
  config: RecordConfig;
  domainId?: string | undefined;
}): Promise<{ resumed: boolean }> {
  const now = new Date();
  const resumed = await ctx.db.transaction(async (tx) => {
    if (domainId) {
      const [current] = await tx
        .select({ pausedAt: domains.sendingPausedAt })
        .from(domains)
        .where(and(eq(domains.id, domainId), eq(domains.orgId, ctx.orgId)))
        .for("update");
      if (!current) throw notFound("Domain");
      if (!current.pausedAt) return false;
      const [row] = await tx
        .update(domains)
        .set({ sendingPausedAt: null, sendingPausedReason: null, updatedAt: now })
        .where(eq(domains.id, domainId))
        .returning();
      if (!row) return false;
      const mark = await resumeMark(tx, "domain", row.id, now);
      await recordEvent(tx, {
        orgId: ctx.orgId,
        type: "domain.updated",
        objectId: row.id,
        data: domainEventData(row, config, { [RESUME_MARK_KEY]: mark }),
      });
      await bringHeldForward(tx, row.id);
      await recordAudit(tx, ctx.audit, {
        orgId: ctx.orgId,
        action: "domain.sending_resumed",
        target: { type: "domain", id: row.id },
        details: { name: row.name },
      });
      return true;
    }
    const [row] = await tx
      .update(organizations)
      .set({ sendingPausedAt: null, sendingPausedReason: null })
      .where(
        and(eq(organizations.id, ctx.orgId), sql`${organizations.sendingPausedAt} is not null`),
      )
      .returning();
    if (!row) return false;
    const mark = await resumeMark(tx, "organization", row.id, now);
    await recordEvent(tx, {
      orgId: ctx.orgId,
      type: "organization.sending_resumed",
      objectId: row.id,
      data: organizationEventData(row, { resumed_at: now.toISOString(), [RESUME_MARK_KEY]: mark }),
    });
    await bringHeldForward(tx, row.id);
    await recordAudit(tx, ctx.audit, {
      orgId: ctx.orgId,
      action: "organization.sending_resumed",
      target: { type: "organization", id: row.id },
    });
    return true;
  });
  // This process's accept path sees the resume at once; others within their cache's seconds.
  ctx.senders.domains.forget(ctx.orgId);
  return { resumed };
}

/** The scope's counts of the day so far: what its rates leave out from now on. */
async function resumeMark(
  tx: Tx,
  scope: "organization" | "domain",
  scopeId: string,
  now: Date,
): Promise<Omit<ResumeMark, "at"> & { at: string }> {
  const day = utcDay(now);
  const [row] = await tx
    .select({
      sent: sendingStats.sent,
      bounced: sendingStats.bounced,
      complained: sendingStats.complained,
    })
    .from(sendingStats)
    .where(
      and(
        eq(sendingStats.scope, scope),
        eq(sendingStats.scopeId, scopeId),
        eq(sendingStats.day, day),
      ),
    );
  return { at: now.toISOString(), day, ...(row ?? { sent: 0, bounced: 0, complained: 0 }) };
}

/**
 * The jobs holding emails for this scope run now instead of within the hour. Not indexed: a
 * scan of the queue, once per resume. Jobs running right now are left alone (they hold under
 * a lock that this transaction's UPDATE waited for, or see the resume).
 */
async function bringHeldForward(tx: Tx, scopeId: string): Promise<void> {
  await tx.execute(sql`
    select count(*) from graphile_worker.reschedule_jobs(
      array(select id from graphile_worker.jobs
        where flags ? ${heldFlag(scopeId)} and locked_at is null),
      now())`);
}
