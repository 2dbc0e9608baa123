import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { updateConnection } from "../../services/oidc/connections.ts";
import { organizationContext } from "./context.ts";
import { OidcConnectionSchema, UpdateOidcConnectionSchema } from "./schema.ts";

export const route = createRoute({
  method: "patch",
  path: "/organization/oidc",
  operationId: "updateOidcConnection",
  tags: ["Organization"],
  summary: "Update single sign-on",
  description:
    "Changes the provider, its credentials (checked again by discovery), the allowed domains, the default role, or turns it off.",
  ...requires("organization:write"),
  request: {
    body: {
      required: true,
      content: { "application/json": { schema: UpdateOidcConnectionSchema } },
    },
  },
  responses: {
    200: {
      description: "The connection.",
      content: { "application/json": { schema: OidcConnectionSchema } },
    },
    ...errorResponses(
      "restricted_api_key",
      "forbidden",
      "invalid_session",
      "invalid_csrf_token",
      "validation_error",
      "not_found",
    ),
  },
});

export const registerOidcUpdate = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(
      await updateConnection({ ctx: organizationContext(c), input: c.req.valid("json") }),
      200,
    ),
  );
