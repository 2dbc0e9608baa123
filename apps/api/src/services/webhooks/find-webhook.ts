import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { webhookDeliveries, webhookEndpoints } from "../../db/schema/index.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import type { DeliveryRow, WebhookRow } from "./webhook-view.ts";

export async function findWebhook(
  db: Pick<Db, "select">,
  orgId: string,
  id: string,
): Promise<WebhookRow> {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.orgId, orgId)));
  if (!row) throw notFound("Webhook");
  return row;
}

/**
 * The organization's webhook `webhookId` and its delivery of event `eventId`. The webhook is
 * looked up first: a deleted one's deliveries stay behind, and must not be reachable.
 */
export async function findDelivery(
  db: Pick<Db, "select">,
  orgId: string,
  webhookId: string,
  eventId: string,
): Promise<{ webhook: WebhookRow; delivery: DeliveryRow }> {
  const webhook = await findWebhook(db, orgId, webhookId);
  const [delivery] = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.endpointId, webhookId),
        eq(webhookDeliveries.eventId, eventId),
        eq(webhookDeliveries.orgId, orgId),
      ),
    );
  if (!delivery) throw notFound("Webhook event");
  return { webhook, delivery };
}

/** Nothing is sent to a disabled webhook, so asking to send it something is refused (409). */
export function requireEnabled(webhook: WebhookRow, operation: string): void {
  if (webhook.status !== "enabled") {
    throw new AppError(
      "invalid_state",
      `This webhook is disabled, so nothing can be ${operation}: enable it first (PATCH /webhooks/{id} with status "enabled")`,
    );
  }
}
