import { webhookEndpoints } from "../../db/schema/index.ts";
import { newId } from "../../lib/ids.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { checkEndpointUrl } from "./endpoint-url.ts";
import type { WebhookEventType } from "./event-types.ts";
import { generateSigningSecret } from "./signing-secret.ts";
import type { WebhookContext } from "./webhook-context.ts";

export interface CreateWebhookInput {
  endpoint: string;
  events: WebhookEventType[];
}

/**
 * Adds an endpoint that receives the listed events from now on, signed with a new secret
 * (sealed at rest; shown here and by GET /webhooks/{id}).
 */
export async function createWebhook({
  ctx,
  input,
}: {
  ctx: WebhookContext;
  input: CreateWebhookInput;
}) {
  checkEndpointUrl(input.endpoint, ctx.ssrfAllowList);
  const secret = generateSigningSecret();
  const now = new Date();
  const id = newId();
  await ctx.db.transaction(async (tx) => {
    await tx.insert(webhookEndpoints).values({
      id,
      orgId: ctx.orgId,
      endpoint: input.endpoint,
      events: input.events,
      status: "enabled",
      secret: ctx.secrets.seal(secret),
      createdAt: now,
      updatedAt: now,
    });
    await recordAudit(tx, ctx.audit, {
      orgId: ctx.orgId,
      action: "webhook.created",
      target: { type: "webhook", id },
      details: { endpoint: input.endpoint, events: input.events },
    });
  });
  return { object: "webhook" as const, id, signing_secret: secret };
}
