import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { deleteWebhook } from "../../services/webhooks/delete-webhook.ts";
import { webhookContext } from "./context.ts";
import { DeletedWebhookSchema, WebhookIdParamsSchema } from "./schema.ts";

export const route = createRoute({
  method: "delete",
  path: "/webhooks/{id}",
  operationId: "deleteWebhook",
  tags: ["Webhooks"],
  summary: "Delete a webhook",
  description: "Removes the webhook; nothing more is sent to it, not even events already waiting.",
  ...requires("webhooks:write"),
  request: { params: WebhookIdParamsSchema },
  responses: {
    200: {
      description: "The webhook was deleted.",
      content: { "application/json": { schema: DeletedWebhookSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found"),
  },
});

export const registerWebhooksDelete = (app: App) =>
  app.openapi(route, async (c) => {
    const deleted = await deleteWebhook({ ctx: webhookContext(c), id: c.req.valid("param").id });
    return c.json(deleted, 200);
  });
