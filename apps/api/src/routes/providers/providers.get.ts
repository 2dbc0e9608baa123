import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { getProvider } from "../../services/providers/get-provider.ts";
import { providerContext } from "./context.ts";
import { ProviderIdParamsSchema, ProviderSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/providers/{id}",
  operationId: "getProvider",
  tags: ["Providers"],
  summary: "Retrieve a provider",
  description: "A provider and its settings, without its credentials.",
  ...requires("providers:read"),
  request: { params: ProviderIdParamsSchema },
  responses: {
    200: {
      description: "The provider.",
      content: { "application/json": { schema: ProviderSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found"),
  },
});

export const registerProvidersGet = (app: App) =>
  app.openapi(route, async (c) => {
    const provider = await getProvider({ ctx: providerContext(c), id: c.req.valid("param").id });
    return c.json(provider, 200);
  });
