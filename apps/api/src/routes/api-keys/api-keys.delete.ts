import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { revokeApiKey } from "../../services/api-keys/revoke-api-key.ts";
import { serviceContext } from "../service-context.ts";
import { ApiKeyIdParamsSchema, DeletedApiKeySchema } from "./schema.ts";

export const route = createRoute({
  method: "delete",
  path: "/api-keys/{id}",
  operationId: "deleteApiKey",
  tags: ["API keys"],
  summary: "Delete an API key",
  description: "Revokes the key: requests with it are refused from now on.",
  ...requires("api_keys:write"),
  request: { params: ApiKeyIdParamsSchema },
  responses: {
    200: {
      description: "The key was revoked.",
      content: { "application/json": { schema: DeletedApiKeySchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found"),
  },
});

export const registerApiKeysDelete = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const result = await revokeApiKey({ ctx: serviceContext(c), id });
    c.var.deps.authenticator.forget(id);
    return c.json(result, 200);
  });
