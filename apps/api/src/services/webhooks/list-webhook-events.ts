import { and, eq } from "drizzle-orm";
import { webhookDeliveries } from "../../db/schema/index.ts";
import { type PageRequest, pageQuery, toPage } from "../../lib/pagination.ts";
import { findWebhook } from "./find-webhook.ts";
import type { WebhookContext } from "./webhook-context.ts";
import { deliveryListItem } from "./webhook-view.ts";

/**
 * The events sent (or to be sent) to one webhook, newest first. The cursor is the event id,
 * which the (endpoint_id, event_id) index orders; event ids are UUIDv7, so newest first.
 */
export async function listWebhookEvents({
  ctx,
  webhookId,
  page,
}: {
  ctx: Pick<WebhookContext, "db" | "orgId">;
  webhookId: string;
  page: PageRequest;
}) {
  await findWebhook(ctx.db, ctx.orgId, webhookId);
  const query = pageQuery(
    webhookDeliveries.eventId,
    page,
    and(eq(webhookDeliveries.endpointId, webhookId), eq(webhookDeliveries.orgId, ctx.orgId)),
  );
  const rows = await ctx.db
    .select()
    .from(webhookDeliveries)
    .where(query.where)
    .orderBy(query.orderBy)
    .limit(query.limit);
  return toPage(rows, page, deliveryListItem);
}
