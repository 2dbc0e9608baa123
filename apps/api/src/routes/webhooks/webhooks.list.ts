import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { listWebhooks } from "../../services/webhooks/list-webhooks.ts";
import { PaginationQuerySchema } from "../pagination-schema.ts";
import { webhookContext } from "./context.ts";
import { WebhookListSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/webhooks",
  operationId: "listWebhooks",
  tags: ["Webhooks"],
  summary: "List webhooks",
  description: "The organization's webhooks, newest first, without their signing secrets.",
  ...requires("webhooks:read"),
  request: { query: PaginationQuerySchema },
  responses: {
    200: {
      description: "A page of webhooks.",
      content: { "application/json": { schema: WebhookListSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error"),
  },
});

export const registerWebhooksList = (app: App) =>
  app.openapi(route, async (c) => {
    const page = await listWebhooks({ ctx: webhookContext(c), page: c.req.valid("query") });
    return c.json(page, 200);
  });
