import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { createConnection } from "../../services/oidc/connections.ts";
import { organizationContext } from "./context.ts";
import { CreateOidcConnectionSchema, OidcConnectionSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/organization/oidc",
  operationId: "createOidcConnection",
  tags: ["Organization"],
  summary: "Set up single sign-on",
  description:
    "Connects an OpenID Connect provider (checked by discovery). People of the allowed domains can then sign in with it; on their first sign-in they become members with the default role.",
  ...requires("organization:write"),
  request: {
    body: {
      required: true,
      content: { "application/json": { schema: CreateOidcConnectionSchema } },
    },
  },
  responses: {
    201: {
      description: "The connection.",
      content: { "application/json": { schema: OidcConnectionSchema } },
    },
    ...errorResponses(
      "restricted_api_key",
      "forbidden",
      "invalid_session",
      "invalid_csrf_token",
      "validation_error",
      "already_exists",
    ),
  },
});

export const registerOidcCreate = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(
      await createConnection({ ctx: organizationContext(c), input: c.req.valid("json") }),
      201,
    ),
  );
