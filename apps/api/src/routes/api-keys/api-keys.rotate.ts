import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { linksTo } from "../../lib/openapi-links.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { rotateApiKey } from "../../services/api-keys/rotate-api-key.ts";
import { serviceContext } from "../service-context.ts";
import { ApiKeyIdParamsSchema, RotateApiKeySchema, RotatedApiKeySchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/api-keys/{id}/rotate",
  operationId: "rotateApiKey",
  tags: ["API keys"],
  summary: "Rotate an API key",
  description:
    "Creates a new key with the same name, permission, domain and allowed IPs, and answers its token (shown this once only). The old key keeps working for `grace_period_seconds` (default 24 hours), so that deployments can switch to the new one without a refused request; then it stops. A key can be rotated once; expired keys cannot be.",
  ...requires("api_keys:write"),
  request: {
    params: ApiKeyIdParamsSchema,
    body: { required: false, content: { "application/json": { schema: RotateApiKeySchema } } },
  },
  responses: {
    200: {
      description: "The new key, and when the old one stops working.",
      content: { "application/json": { schema: RotatedApiKeySchema } },
      links: linksTo(["deleteApiKey"]),
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found", "invalid_state"),
  },
});

export const registerApiKeysRotate = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json") ?? {};
    const rotated = await rotateApiKey({
      ctx: { ...serviceContext(c), grantor: c.var.principal },
      id,
      graceSeconds: body.grace_period_seconds,
      expiresAt: body.expires_at,
    });
    // This process sees the old key's new expiry at once; the others within their cache TTL.
    c.var.deps.authenticator.forget(id);
    return c.json(rotated, 200);
  });
