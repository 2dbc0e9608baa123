import { findWebhook } from "./find-webhook.ts";
import type { WebhookContext } from "./webhook-context.ts";
import { webhookView } from "./webhook-view.ts";

export async function getWebhook({ ctx, id }: { ctx: WebhookContext; id: string }) {
  const row = await findWebhook(ctx.db, ctx.orgId, id);
  return webhookView(row, ctx.secrets.open(row.secret));
}
