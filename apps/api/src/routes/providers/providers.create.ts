import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { linksTo } from "../../lib/openapi-links.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { createProvider } from "../../services/providers/create-provider.ts";
import { providerContext } from "./context.ts";
import { CreateProviderSchema, ProviderSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/providers",
  operationId: "createProvider",
  tags: ["Providers"],
  summary: "Add a provider",
  description:
    "Adds a mail provider of the organization's own (an SMTP relay or an SES account). The organization's enabled providers are tried first, by priority, then the installation's. Credentials are stored encrypted and never returned.",
  ...requires("providers:write"),
  request: {
    body: { required: true, content: { "application/json": { schema: CreateProviderSchema } } },
  },
  responses: {
    200: {
      description: "The new provider.",
      content: { "application/json": { schema: ProviderSchema } },
      links: linksTo(["getProvider", "updateProvider", "deleteProvider"]),
    },
    ...errorResponses("restricted_api_key", "validation_error"),
  },
});

export const registerProvidersCreate = (app: App) =>
  app.openapi(route, async (c) => {
    const created = await createProvider({ ctx: providerContext(c), input: c.req.valid("json") });
    return c.json(created, 200);
  });
