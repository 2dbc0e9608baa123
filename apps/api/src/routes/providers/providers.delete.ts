import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { deleteProvider } from "../../services/providers/delete-provider.ts";
import { providerContext } from "./context.ts";
import { DeletedProviderSchema, ProviderIdParamsSchema } from "./schema.ts";

export const route = createRoute({
  method: "delete",
  path: "/providers/{id}",
  operationId: "deleteProvider",
  tags: ["Providers"],
  summary: "Delete a provider",
  description: "Removes the provider and its credentials. Workers stop using it within 30 seconds.",
  ...requires("providers:write"),
  request: { params: ProviderIdParamsSchema },
  responses: {
    200: {
      description: "The provider was deleted.",
      content: { "application/json": { schema: DeletedProviderSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found"),
  },
});

export const registerProvidersDelete = (app: App) =>
  app.openapi(route, async (c) => {
    const deleted = await deleteProvider({ ctx: providerContext(c), id: c.req.valid("param").id });
    return c.json(deleted, 200);
  });
