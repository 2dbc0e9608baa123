import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { getOrganization } from "../../services/organizations/organization-settings.ts";
import { organizationContext } from "./context.ts";
import { OrganizationSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/organization",
  operationId: "getOrganization",
  tags: ["Organization"],
  summary: "Retrieve the organization",
  description:
    "The session's organization and its settings. For members of the console (not API keys).",
  ...requires("organization:read"),
  responses: {
    200: {
      description: "The organization.",
      content: { "application/json": { schema: OrganizationSchema } },
    },
    ...errorResponses("restricted_api_key", "forbidden", "invalid_session"),
  },
});

export const registerOrganizationGet = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(await getOrganization({ ctx: organizationContext(c) }), 200),
  );
