import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { linksTo } from "../../lib/openapi-links.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { sendTestEvent } from "../../services/webhooks/send-test-event.ts";
import { webhookContext } from "./context.ts";
import { WebhookEventRefSchema, WebhookIdParamsSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/webhooks/{id}/test",
  operationId: "sendWebhookTestEvent",
  tags: ["Webhooks"],
  summary: "Send a test event",
  description:
    "Sends a `webhook.test` event to this webhook alone, whatever event types it listens to, signed like any other. Its delivery shows in GET /webhooks/{id}/events. Not in Resend's API.",
  ...requires("webhooks:write"),
  request: { params: WebhookIdParamsSchema },
  responses: {
    200: {
      description: "The test event, on its way.",
      content: { "application/json": { schema: WebhookEventRefSchema } },
      links: linksTo(["getWebhookEvent", "listWebhookEventAttempts", "replayWebhookEvent"], {
        id: "$request.path.id",
        event_id: "$response.body#/id",
      }),
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found", "invalid_state"),
  },
});

export const registerWebhooksTestEvent = (app: App) =>
  app.openapi(route, async (c) => {
    const sent = await sendTestEvent({
      ctx: webhookContext(c),
      webhookId: c.req.valid("param").id,
    });
    return c.json(sent, 200);
  });
