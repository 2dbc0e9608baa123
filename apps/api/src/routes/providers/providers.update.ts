import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { updateProvider } from "../../services/providers/update-provider.ts";
import { providerContext } from "./context.ts";
import { ProviderIdParamsSchema, ProviderSchema, UpdateProviderSchema } from "./schema.ts";

export const route = createRoute({
  method: "patch",
  path: "/providers/{id}",
  operationId: "updateProvider",
  tags: ["Providers"],
  summary: "Update a provider",
  description:
    "Renames, reorders, limits, enables or disables a provider, or changes its settings (merged into the stored ones). Workers see the change within 30 seconds.",
  ...requires("providers:write"),
  request: {
    params: ProviderIdParamsSchema,
    body: { required: true, content: { "application/json": { schema: UpdateProviderSchema } } },
  },
  responses: {
    200: {
      description: "The provider as updated.",
      content: { "application/json": { schema: ProviderSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found"),
  },
});

export const registerProvidersUpdate = (app: App) =>
  app.openapi(route, async (c) => {
    const updated = await updateProvider({
      ctx: providerContext(c),
      id: c.req.valid("param").id,
      input: c.req.valid("json"),
    });
    return c.json(updated, 200);
  });
