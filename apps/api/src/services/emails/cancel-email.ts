import { and, eq, inArray } from "drizzle-orm";
import { emailEvents, emails } from "../../db/schema/index.ts";
import { emailSendJobKey } from "../../jobs/catalog.ts";
import { removeJob } from "../../jobs/enqueue.ts";
import { newId } from "../../lib/ids.ts";
import type { ServiceContext } from "../context.ts";
import { explainNoMatch } from "./change-state.ts";

/** Emails not yet handed to a server. A job that wakes for a canceled email does nothing. */
const CANCELABLE = ["scheduled", "queued", "delivery_delayed"] as const;

export async function cancelEmail({
  ctx,
  id,
}: {
  ctx: Pick<ServiceContext, "db" | "orgId">;
  id: string;
}): Promise<{ object: "email"; id: string }> {
  const now = new Date();
  await ctx.db.transaction(async (tx) => {
    const updated = await tx
      .update(emails)
      .set({ status: "canceled", lastEvent: "canceled", updatedAt: now })
      .where(
        and(eq(emails.id, id), eq(emails.orgId, ctx.orgId), inArray(emails.status, CANCELABLE)),
      )
      .returning({ id: emails.id });
    if (updated.length === 0) {
      await explainNoMatch(tx, {
        orgId: ctx.orgId,
        id,
        operation: "canceled",
        allowed: CANCELABLE,
      });
    }
    await tx.insert(emailEvents).values({
      id: newId(),
      orgId: ctx.orgId,
      emailId: id,
      type: "canceled",
      createdAt: now,
    });
    await removeJob(tx, emailSendJobKey(id));
  });
  return { object: "email", id };
}
