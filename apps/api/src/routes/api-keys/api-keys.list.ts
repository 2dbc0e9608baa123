import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { listApiKeys } from "../../services/api-keys/list-api-keys.ts";
import { PaginationQuerySchema } from "../pagination-schema.ts";
import { serviceContext } from "../service-context.ts";
import { ApiKeyListSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/api-keys",
  operationId: "listApiKeys",
  tags: ["API keys"],
  summary: "List API keys",
  description:
    "The organization's active keys, newest first. Tokens are never shown again; `token_prefix` tells them apart.",
  ...requires("api_keys:read"),
  request: { query: PaginationQuerySchema },
  responses: {
    200: {
      description: "A page of keys.",
      content: { "application/json": { schema: ApiKeyListSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error"),
  },
});

export const registerApiKeysList = (app: App) =>
  app.openapi(route, async (c) => {
    const page = await listApiKeys({ ctx: serviceContext(c), page: c.req.valid("query") });
    return c.json(page, 200);
  });
