import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { linksTo } from "../../lib/openapi-links.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { createWebhook } from "../../services/webhooks/create-webhook.ts";
import { webhookContext } from "./context.ts";
import { CreateWebhookSchema, WebhookSecretSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/webhooks",
  operationId: "createWebhook",
  tags: ["Webhooks"],
  summary: "Create a webhook",
  description:
    "Adds an endpoint that receives the listed event types from now on, each POSTed as `{type, created_at, data}` and signed as Svix does (`webhook-id`, `webhook-timestamp`, `webhook-signature` headers) with the `signing_secret` answered here.",
  ...requires("webhooks:write"),
  request: {
    body: { required: true, content: { "application/json": { schema: CreateWebhookSchema } } },
  },
  responses: {
    200: {
      description: "The new webhook and its signing secret.",
      content: { "application/json": { schema: WebhookSecretSchema } },
      links: linksTo([
        "getWebhook",
        "updateWebhook",
        "rotateWebhookSigningSecret",
        "sendWebhookTestEvent",
        "listWebhookEvents",
        "deleteWebhook",
      ]),
    },
    ...errorResponses("restricted_api_key", "validation_error"),
  },
});

export const registerWebhooksCreate = (app: App) =>
  app.openapi(route, async (c) => {
    const created = await createWebhook({ ctx: webhookContext(c), input: c.req.valid("json") });
    return c.json(created, 200);
  });
