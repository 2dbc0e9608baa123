import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { listEventAttempts } from "../../services/webhooks/list-event-attempts.ts";
import { PaginationQuerySchema } from "../pagination-schema.ts";
import { webhookContext } from "./context.ts";
import { WebhookEventAttemptListSchema, WebhookEventParamsSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/webhooks/{id}/events/{event_id}/attempts",
  operationId: "listWebhookEventAttempts",
  tags: ["Webhooks"],
  summary: "List an event's delivery attempts",
  description:
    "Each HTTP attempt to deliver this event to this webhook, newest first: the status code and the start of the response, or what went wrong.",
  ...requires("webhooks:read"),
  request: { params: WebhookEventParamsSchema, query: PaginationQuerySchema },
  responses: {
    200: {
      description: "A page of attempts.",
      content: { "application/json": { schema: WebhookEventAttemptListSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found"),
  },
});

export const registerWebhookEventsAttempts = (app: App) =>
  app.openapi(route, async (c) => {
    const params = c.req.valid("param");
    const page = await listEventAttempts({
      ctx: webhookContext(c),
      webhookId: params.id,
      eventId: params.event_id,
      page: c.req.valid("query"),
    });
    return c.json(page, 200);
  });
