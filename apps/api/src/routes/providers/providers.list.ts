import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { listProviders } from "../../services/providers/list-providers.ts";
import { PaginationQuerySchema } from "../pagination-schema.ts";
import { providerContext } from "./context.ts";
import { ProviderListSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/providers",
  operationId: "listProviders",
  tags: ["Providers"],
  summary: "List providers",
  description: "The organization's own providers, newest first, without their credentials.",
  ...requires("providers:read"),
  request: { query: PaginationQuerySchema },
  responses: {
    200: {
      description: "A page of providers.",
      content: { "application/json": { schema: ProviderListSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error"),
  },
});

export const registerProvidersList = (app: App) =>
  app.openapi(route, async (c) => {
    const page = await listProviders({ ctx: providerContext(c), page: c.req.valid("query") });
    return c.json(page, 200);
  });
