import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { deleteConnection } from "../../services/oidc/connections.ts";
import { organizationContext } from "./context.ts";
import { DeletedOidcConnectionSchema } from "./schema.ts";

export const route = createRoute({
  method: "delete",
  path: "/organization/oidc",
  operationId: "deleteOidcConnection",
  tags: ["Organization"],
  summary: "Remove single sign-on",
  description:
    "Disconnects the provider. Members it created stay, and can reset a password to sign in.",
  ...requires("organization:write"),
  responses: {
    200: {
      description: "The connection is removed.",
      content: { "application/json": { schema: DeletedOidcConnectionSchema } },
    },
    ...errorResponses(
      "restricted_api_key",
      "forbidden",
      "invalid_session",
      "invalid_csrf_token",
      "not_found",
    ),
  },
});

export const registerOidcDelete = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(await deleteConnection({ ctx: organizationContext(c) }), 200),
  );
