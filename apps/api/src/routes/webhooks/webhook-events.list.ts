import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { linksTo } from "../../lib/openapi-links.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { listWebhookEvents } from "../../services/webhooks/list-webhook-events.ts";
import { PaginationQuerySchema } from "../pagination-schema.ts";
import { webhookContext } from "./context.ts";
import { WebhookEventListSchema, WebhookIdParamsSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/webhooks/{id}/events",
  operationId: "listWebhookEvents",
  tags: ["Webhooks"],
  summary: "List a webhook's events",
  description:
    "The events sent, or to be sent, to this webhook, newest first, with where each delivery stands.",
  ...requires("webhooks:read"),
  request: { params: WebhookIdParamsSchema, query: PaginationQuerySchema },
  responses: {
    200: {
      description: "A page of events.",
      content: { "application/json": { schema: WebhookEventListSchema } },
      links: linksTo(["getWebhookEvent", "listWebhookEventAttempts", "replayWebhookEvent"], {
        id: "$request.path.id",
        event_id: "$response.body#/data/0/id",
      }),
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found"),
  },
});

export const registerWebhookEventsList = (app: App) =>
  app.openapi(route, async (c) => {
    const page = await listWebhookEvents({
      ctx: webhookContext(c),
      webhookId: c.req.valid("param").id,
      page: c.req.valid("query"),
    });
    return c.json(page, 200);
  });
