import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { getConnection } from "../../services/oidc/connections.ts";
import { organizationContext } from "./context.ts";
import { OidcConnectionSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/organization/oidc",
  operationId: "getOidcConnection",
  tags: ["Organization"],
  summary: "Retrieve the single sign-on connection",
  description: "The organization's OpenID Connect provider, without its client secret.",
  ...requires("organization:read"),
  responses: {
    200: {
      description: "The connection.",
      content: { "application/json": { schema: OidcConnectionSchema } },
    },
    ...errorResponses("restricted_api_key", "forbidden", "invalid_session", "not_found"),
  },
});

export const registerOidcGet = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(await getConnection({ ctx: organizationContext(c) }), 200),
  );
