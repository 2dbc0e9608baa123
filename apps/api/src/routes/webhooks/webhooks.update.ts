import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { updateWebhook } from "../../services/webhooks/update-webhook.ts";
import { webhookContext } from "./context.ts";
import { UpdateWebhookSchema, WebhookIdParamsSchema, WebhookRefSchema } from "./schema.ts";

export const route = createRoute({
  method: "patch",
  path: "/webhooks/{id}",
  operationId: "updateWebhook",
  tags: ["Webhooks"],
  summary: "Update a webhook",
  description:
    "Changes the endpoint (events not yet delivered go to the new one), the event types, or the status. A disabled webhook receives nothing; enabling it again starts it afresh.",
  ...requires("webhooks:write"),
  request: {
    params: WebhookIdParamsSchema,
    body: { required: true, content: { "application/json": { schema: UpdateWebhookSchema } } },
  },
  responses: {
    200: {
      description: "The webhook was updated.",
      content: { "application/json": { schema: WebhookRefSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found"),
  },
});

export const registerWebhooksUpdate = (app: App) =>
  app.openapi(route, async (c) => {
    const updated = await updateWebhook({
      ctx: webhookContext(c),
      id: c.req.valid("param").id,
      input: c.req.valid("json"),
    });
    return c.json(updated, 200);
  });
