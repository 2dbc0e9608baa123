import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { rotateSigningSecret } from "../../services/webhooks/rotate-signing-secret.ts";
import { webhookContext } from "./context.ts";
import { WebhookIdParamsSchema, WebhookSecretSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/webhooks/{id}/signing-secret/rotate",
  operationId: "rotateWebhookSigningSecret",
  tags: ["Webhooks"],
  summary: "Rotate a webhook's signing secret",
  description:
    "Makes a new signing secret. For the next 24 hours every message is signed with both the new and the previous secret (two signatures in `webhook-signature`), so the receiver can switch without refusing one.",
  ...requires("webhooks:write"),
  request: { params: WebhookIdParamsSchema },
  responses: {
    200: {
      description: "The new signing secret.",
      content: { "application/json": { schema: WebhookSecretSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found"),
  },
});

export const registerWebhooksRotateSecret = (app: App) =>
  app.openapi(route, async (c) => {
    const rotated = await rotateSigningSecret({
      ctx: webhookContext(c),
      id: c.req.valid("param").id,
    });
    return c.json(rotated, 200);
  });
