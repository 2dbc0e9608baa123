import { and, eq, inArray } from "drizzle-orm";
import { emailEvents, emails } from "../../db/schema/index.ts";
import { emailSendJobKey, jobSpec } from "../../jobs/catalog.ts";
import { addJobs } from "../../jobs/enqueue.ts";
import { newId } from "../../lib/ids.ts";
import type { ServiceContext } from "../context.ts";
import { explainNoMatch } from "./change-state.ts";

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
  ctx: Pick<ServiceContext, "db" | "orgId" | "emailMaxAttempts">;
  id: string;
  scheduledAt: Date;
}): Promise<{ object: "email"; id: string }> {
  const now = new Date();
  const stillScheduled = scheduledAt.getTime() > now.getTime();
  const status = stillScheduled ? "scheduled" : "queued";
  await ctx.db.transaction(async (tx) => {
    const updated = await tx
      .update(emails)
      .set({ scheduledAt, status, lastEvent: status, updatedAt: now })
      .where(
        and(eq(emails.id, id), eq(emails.orgId, ctx.orgId), inArray(emails.status, RESCHEDULABLE)),
      )
      .returning({ id: emails.id });
    if (updated.length === 0) {
      await explainNoMatch(tx, {
        orgId: ctx.orgId,
        id,
        operation: "rescheduled",
        allowed: RESCHEDULABLE,
      });
    }
    await tx.insert(emailEvents).values({
      id: newId(),
      orgId: ctx.orgId,
      emailId: id,
      type: status,
      details: { scheduled_at: scheduledAt.toISOString(), rescheduled: true },
      createdAt: now,
    });
    // Same key: graphile-worker moves the waiting job rather than adding a second one.
    await addJobs(tx, [
      jobSpec(
        "email_send",
        { email_id: id, org_id: ctx.orgId },
        {
          runAt: stillScheduled ? scheduledAt : now,
          jobKey: emailSendJobKey(id),
          maxAttempts: ctx.emailMaxAttempts,
        },
      ),
    ]);
  });
  return { object: "email", id };
}
