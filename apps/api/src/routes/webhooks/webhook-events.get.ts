import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { getWebhookEvent } from "../../services/webhooks/get-webhook-event.ts";
import { webhookContext } from "./context.ts";
import { WebhookEventParamsSchema, WebhookEventSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/webhooks/{id}/events/{event_id}",
  operationId: "getWebhookEvent",
  tags: ["Webhooks"],
  summary: "Retrieve a webhook's event",
  description:
    "One event of this webhook: its delivery's status and next attempt, and its payload.",
  ...requires("webhooks:read"),
  request: { params: WebhookEventParamsSchema },
  responses: {
    200: {
      description: "The event.",
      content: { "application/json": { schema: WebhookEventSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found"),
  },
});

export const registerWebhookEventsGet = (app: App) =>
  app.openapi(route, async (c) => {
    const params = c.req.valid("param");
    const event = await getWebhookEvent({
      ctx: webhookContext(c),
      webhookId: params.id,
      eventId: params.event_id,
    });
    return c.json(event, 200);
  });
