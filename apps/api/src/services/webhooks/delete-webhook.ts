import { and, eq } from "drizzle-orm";
import { webhookEndpoints } from "../../db/schema/index.ts";
import { notFound } from "../../lib/errors.ts";
import type { WebhookContext } from "./webhook-context.ts";

/**
 * Removes a webhook: nothing more is delivered to it. Its deliveries and their jobs are left
 * alone (one DELETE, however long the backlog): the worker finds the endpoint gone and drops
 * them, and the API no longer reaches them.
 */
export async function deleteWebhook({
  ctx,
  id,
}: {
  ctx: Pick<WebhookContext, "db" | "orgId">;
  id: string;
}) {
  const [row] = await ctx.db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.orgId, ctx.orgId)))
    .returning({ id: webhookEndpoints.id });
  if (!row) throw notFound("Webhook");
  return { object: "webhook" as const, id: row.id, deleted: true as const };
}
