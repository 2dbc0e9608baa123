import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { linksTo } from "../../lib/openapi-links.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { replayWebhookEvent } from "../../services/webhooks/replay-webhook-event.ts";
import { webhookContext } from "./context.ts";
import { WebhookEventParamsSchema, WebhookEventRefSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/webhooks/{id}/events/{event_id}/replay",
  operationId: "replayWebhookEvent",
  tags: ["Webhooks"],
  summary: "Replay a webhook's event",
  description:
    "Sends the event to this webhook again, with the same payload and `webhook-id`, whatever became of it: its delivery starts over with a full retry schedule. Refused (409) while an attempt is in flight, or when the webhook is disabled.",
  ...requires("webhooks:write"),
  request: { params: WebhookEventParamsSchema },
  responses: {
    200: {
      description: "The event is on its way again.",
      content: { "application/json": { schema: WebhookEventRefSchema } },
      links: linksTo(["getWebhookEvent", "listWebhookEventAttempts"], {
        id: "$request.path.id",
        event_id: "$response.body#/id",
      }),
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found", "invalid_state"),
  },
});

export const registerWebhookEventsReplay = (app: App) =>
  app.openapi(route, async (c) => {
    const params = c.req.valid("param");
    const replayed = await replayWebhookEvent({
      ctx: webhookContext(c),
      webhookId: params.id,
      eventId: params.event_id,
    });
    return c.json(replayed, 200);
  });
