import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { getWebhook } from "../../services/webhooks/get-webhook.ts";
import { webhookContext } from "./context.ts";
import { WebhookIdParamsSchema, WebhookSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/webhooks/{id}",
  operationId: "getWebhook",
  tags: ["Webhooks"],
  summary: "Retrieve a webhook",
  description: "A webhook, with its signing secret (as Resend shows it).",
  ...requires("webhooks:read"),
  request: { params: WebhookIdParamsSchema },
  responses: {
    200: {
      description: "The webhook.",
      content: { "application/json": { schema: WebhookSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found"),
  },
});

export const registerWebhooksGet = (app: App) =>
  app.openapi(route, async (c) => {
    const webhook = await getWebhook({ ctx: webhookContext(c), id: c.req.valid("param").id });
    return c.json(webhook, 200);
  });
