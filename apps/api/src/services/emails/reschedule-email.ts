import { emailSendJobKey, jobSpec } from "../../jobs/catalog.ts";
import { addJobs } from "../../jobs/enqueue.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { ServiceContext } from "../context.ts";
import { changeEmailState } from "./change-state.ts";

const RESCHEDULABLE = ["scheduled"] as const;

/**
 * Moves a scheduled email to a new time. The row and its keyed job change in one transaction;
 * a time in the past sends it now.
 */
export async function rescheduleEmail({
  ctx,
  id,
  scheduledAt,
}: {
  ctx: Pick<ServiceContext, "db" | "orgId" | "emailMaxAttempts" | "audit">;
  id: string;
  scheduledAt: Date;
}): Promise<{ object: "email"; id: string }> {
  const now = new Date();
  const stillScheduled = scheduledAt.getTime() > now.getTime();
  await ctx.db.transaction(async (tx) => {
    await changeEmailState(tx, {
      orgId: ctx.orgId,
      id,
      operation: "rescheduled",
      allowed: RESCHEDULABLE,
      status: stillScheduled ? "scheduled" : "queued",
      set: { scheduledAt },
      details: { scheduled_at: scheduledAt.toISOString(), rescheduled: true },
      now,
    });
    // Same key: graphile-worker moves the waiting job rather than adding a second one.
    await addJobs(tx, [
      jobSpec(
        "email_send",
        { org_id: ctx.orgId, email_ids: [id] },
        {
          runAt: stillScheduled ? scheduledAt : now,
          jobKey: emailSendJobKey(id),
          maxAttempts: ctx.emailMaxAttempts,
        },
      ),
    ]);
    await recordAudit(tx, ctx.audit, {
      orgId: ctx.orgId,
      action: "email.rescheduled",
      target: { type: "email", id },
      details: { scheduled_at: scheduledAt.toISOString() },
    });
  });
  return { object: "email", id };
}
