import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { linksTo } from "../../lib/openapi-links.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { createApiKey } from "../../services/api-keys/create-api-key.ts";
import { serviceContext } from "../service-context.ts";
import { CreateApiKeySchema, CreatedApiKeySchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/api-keys",
  operationId: "createApiKey",
  tags: ["API keys"],
  summary: "Create an API key",
  description:
    "Creates a key and answers its token, which is shown this once only. Its rights are Resend's `permission` (`full_access` or `sending_access`) or a set of `permissions` of its own (never more than the caller's). It may expire (`expires_at`) and be limited to client addresses (`allowed_ips`) and to sending from one domain (`domain_id`).",
  ...requires("api_keys:write"),
  request: {
    body: { required: true, content: { "application/json": { schema: CreateApiKeySchema } } },
  },
  responses: {
    200: {
      description: "The new key.",
      content: { "application/json": { schema: CreatedApiKeySchema } },
      links: linksTo(["rotateApiKey", "deleteApiKey"]),
    },
    ...errorResponses("restricted_api_key", "forbidden", "validation_error"),
  },
});

export const registerApiKeysCreate = (app: App) =>
  app.openapi(route, async (c) => {
    const created = await createApiKey({
      ctx: { ...serviceContext(c), grantor: c.var.principal },
      input: c.req.valid("json"),
    });
    return c.json(created, 200);
  });
