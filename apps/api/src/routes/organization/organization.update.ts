import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { updateOrganization } from "../../services/organizations/organization-settings.ts";
import { organizationContext } from "./context.ts";
import { OrganizationSchema, UpdateOrganizationSchema } from "./schema.ts";

export const route = createRoute({
  method: "patch",
  path: "/organization",
  operationId: "updateOrganization",
  tags: ["Organization"],
  summary: "Update the organization",
  description:
    "Its name, default from address, tracking defaults for new domains and data retention.",
  ...requires("organization:write"),
  request: {
    body: { required: true, content: { "application/json": { schema: UpdateOrganizationSchema } } },
  },
  responses: {
    200: {
      description: "The organization.",
      content: { "application/json": { schema: OrganizationSchema } },
    },
    ...errorResponses(
      "restricted_api_key",
      "forbidden",
      "invalid_session",
      "invalid_csrf_token",
      "validation_error",
    ),
  },
});

export const registerOrganizationUpdate = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(
      await updateOrganization({ ctx: organizationContext(c), input: c.req.valid("json") }),
      200,
    ),
  );
