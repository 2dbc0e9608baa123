import { and, eq, ne } from "drizzle-orm";
import { webhookDeliveries } from "../../db/schema/index.ts";
import { addJobs } from "../../jobs/enqueue.ts";
import { AppError } from "../../lib/errors.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { webhookDeliverJob } from "./deliver-job.ts";
import { findDelivery, requireEnabled } from "./find-webhook.ts";
import type { WebhookContext } from "./webhook-context.ts";

/**
 * Sends an event to a webhook again, whatever became of it: the delivery starts over
 * (`pending`, next attempt now, its attempt count back to 0 so it gets its full retry
 * schedule; past attempts stay listed) and its job is enqueued in the same transaction. One in
 * flight at this moment is refused rather than raced: its outcome would overwrite the reset.
 */
export async function replayWebhookEvent({
  ctx,
  webhookId,
  eventId,
}: {
  ctx: Pick<WebhookContext, "db" | "orgId" | "audit">;
  webhookId: string;
  eventId: string;
}) {
  return ctx.db.transaction(async (tx) => {
    const { webhook, delivery } = await findDelivery(tx, ctx.orgId, webhookId, eventId);
    requireEnabled(webhook, "replayed");
    const [reset] = await tx
      .update(webhookDeliveries)
      .set({ status: "pending", attempts: 0, nextAttemptAt: new Date() })
      .where(and(eq(webhookDeliveries.id, delivery.id), ne(webhookDeliveries.status, "attempting")))
      .returning({ id: webhookDeliveries.id, orgId: webhookDeliveries.orgId });
    if (!reset) {
      throw new AppError(
        "invalid_state",
        "This event is being delivered right now; replay it once the attempt is over",
      );
    }
    await addJobs(tx, [webhookDeliverJob(reset)]);
    await recordAudit(tx, ctx.audit, {
      orgId: ctx.orgId,
      action: "webhook.event_replayed",
      target: { type: "webhook", id: webhook.id },
      details: { event_id: delivery.eventId },
    });
    return { object: "webhook_event" as const, id: delivery.eventId };
  });
}
