import { events, webhookDeliveries } from "../../db/schema/index.ts";
import { addJobs } from "../../jobs/enqueue.ts";
import { newId } from "../../lib/ids.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { webhookDeliverJob } from "./deliver-job.ts";
import { WEBHOOK_TEST_EVENT_TYPE } from "./event-types.ts";
import { findWebhook, requireEnabled } from "./find-webhook.ts";
import type { WebhookContext } from "./webhook-context.ts";

/**
 * Records a `webhook.test` event and delivers it to this webhook alone, whatever types it
 * listens to. The fan-out trigger sends it nowhere (no endpoint can list the type, see
 * event-types.ts), so the delivery row and its job are written here, with the event, in one
 * transaction. It then shows in GET /webhooks/{id}/events like any other.
 */
export async function sendTestEvent({
  ctx,
  webhookId,
}: {
  ctx: Pick<WebhookContext, "db" | "orgId" | "audit">;
  webhookId: string;
}) {
  return ctx.db.transaction(async (tx) => {
    const webhook = await findWebhook(tx, ctx.orgId, webhookId);
    requireEnabled(webhook, "sent to it");
    const now = new Date();
    const eventId = newId();
    await tx.insert(events).values({
      id: eventId,
      orgId: ctx.orgId,
      type: WEBHOOK_TEST_EVENT_TYPE,
      objectId: webhook.id,
      data: {
        webhook_id: webhook.id,
        endpoint: webhook.endpoint,
        message: "A test event from Thrive-Send: this endpoint receives signed webhooks.",
      },
      createdAt: now,
    });
    const delivery = {
      id: newId(),
      orgId: ctx.orgId,
      endpointId: webhook.id,
      eventId,
      eventSource: "events",
      eventType: WEBHOOK_TEST_EVENT_TYPE,
      status: "pending" as const,
      nextAttemptAt: now,
      createdAt: now,
    };
    await tx.insert(webhookDeliveries).values(delivery);
    await addJobs(tx, [webhookDeliverJob(delivery)]);
    await recordAudit(tx, ctx.audit, {
      orgId: ctx.orgId,
      action: "webhook.test_sent",
      target: { type: "webhook", id: webhook.id },
      details: { event_id: eventId },
    });
    return { object: "webhook_event" as const, id: eventId };
  });
}
