import { eq } from "drizzle-orm";
import { webhookEndpoints } from "../../db/schema/index.ts";
import { type PageRequest, pageQuery, toPage } from "../../lib/pagination.ts";
import type { WebhookContext } from "./webhook-context.ts";
import { webhookListItem } from "./webhook-view.ts";

/** The organization's webhooks, newest first, without their secrets. */
export async function listWebhooks({
  ctx,
  page,
}: {
  ctx: Pick<WebhookContext, "db" | "orgId">;
  page: PageRequest;
}) {
  const query = pageQuery(webhookEndpoints.id, page, eq(webhookEndpoints.orgId, ctx.orgId));
  const rows = await ctx.db
    .select()
    .from(webhookEndpoints)
    .where(query.where)
    .orderBy(query.orderBy)
    .limit(query.limit);
  return toPage(rows, page, webhookListItem);
}
