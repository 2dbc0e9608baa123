import { deliveryPayload } from "./delivery-payload.ts";
import { findDelivery } from "./find-webhook.ts";
import type { WebhookContext } from "./webhook-context.ts";
import { deliveryView } from "./webhook-view.ts";

/** One event of a webhook: where its delivery stands, and the payload it carries. */
export async function getWebhookEvent({
  ctx,
  webhookId,
  eventId,
}: {
  ctx: Pick<WebhookContext, "db" | "orgId">;
  webhookId: string;
  eventId: string;
}) {
  const { delivery } = await findDelivery(ctx.db, ctx.orgId, webhookId, eventId);
  return deliveryView(delivery, await deliveryPayload(ctx.db, delivery));
}
