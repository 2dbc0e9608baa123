import { and, eq } from "drizzle-orm";
import { webhookAttempts } from "../../db/schema/index.ts";
import { type PageRequest, pageQuery, toPage } from "../../lib/pagination.ts";
import { findDelivery } from "./find-webhook.ts";
import type { WebhookContext } from "./webhook-context.ts";
import { attemptView } from "./webhook-view.ts";

/** The HTTP attempts of one event's delivery to one webhook, newest first. */
export async function listEventAttempts({
  ctx,
  webhookId,
  eventId,
  page,
}: {
  ctx: Pick<WebhookContext, "db" | "orgId">;
  webhookId: string;
  eventId: string;
  page: PageRequest;
}) {
  const { delivery } = await findDelivery(ctx.db, ctx.orgId, webhookId, eventId);
  const query = pageQuery(
    webhookAttempts.id,
    page,
    and(eq(webhookAttempts.deliveryId, delivery.id), eq(webhookAttempts.orgId, ctx.orgId)),
  );
  const rows = await ctx.db
    .select()
    .from(webhookAttempts)
    .where(query.where)
    .orderBy(query.orderBy)
    .limit(query.limit);
  return toPage(rows, page, attemptView);
}
