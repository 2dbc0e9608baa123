import { and, eq } from "drizzle-orm";
import { webhookEndpoints } from "../../db/schema/index.ts";
import { notFound } from "../../lib/errors.ts";
import { recordAudit } from "../audit/record-audit.ts";
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
  ctx: Pick<WebhookContext, "db" | "orgId" | "audit">;
  id: string;
}) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(webhookEndpoints)
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.orgId, ctx.orgId)))
      .returning({ id: webhookEndpoints.id, endpoint: webhookEndpoints.endpoint });
    if (!row) throw notFound("Webhook");
    await recordAudit(tx, ctx.audit, {
      orgId: ctx.orgId,
      action: "webhook.deleted",
      target: { type: "webhook", id: row.id },
      details: { endpoint: row.endpoint },
    });
    return { object: "webhook" as const, id: row.id, deleted: true as const };
  });
}
