import { and, eq } from "drizzle-orm";
import { type WebhookStatus, webhookEndpoints } from "../../db/schema/index.ts";
import { notFound } from "../../lib/errors.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { checkEndpointUrl } from "./endpoint-url.ts";
import type { WebhookEventType } from "./event-types.ts";
import type { WebhookContext } from "./webhook-context.ts";

export interface UpdateWebhookInput {
  endpoint?: string | undefined;
  events?: WebhookEventType[] | undefined;
  status?: WebhookStatus | undefined;
}

/**
 * Changes where a webhook goes, what it receives, or whether it is enabled. Deliveries not yet
 * made go to the new endpoint (the worker reads it when it sends). Enabling a webhook, even
 * one we disabled because it kept failing, starts it afresh.
 */
export async function updateWebhook({
  ctx,
  id,
  input,
}: {
  ctx: WebhookContext;
  id: string;
  input: UpdateWebhookInput;
}) {
  if (input.endpoint !== undefined) checkEndpointUrl(input.endpoint, ctx.ssrfAllowList);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhookEndpoints)
      .set({
        ...(input.endpoint === undefined ? {} : { endpoint: input.endpoint }),
        ...(input.events === undefined ? {} : { events: input.events }),
        // A user's choice either way: no reason recorded, and no failing streak kept.
        ...(input.status === undefined
          ? {}
          : { status: input.status, disabledReason: null, failingSince: null }),
        updatedAt: new Date(),
      })
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.orgId, ctx.orgId)))
      .returning({ id: webhookEndpoints.id });
    if (!row) throw notFound("Webhook");
    await recordAudit(tx, ctx.audit, {
      orgId: ctx.orgId,
      action: "webhook.updated",
      target: { type: "webhook", id: row.id },
      details: { changes: input },
    });
    return { object: "webhook" as const, id: row.id };
  });
}
