import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { listRoles } from "../../services/roles/roles.ts";
import { roleContext } from "./context.ts";
import { RoleListSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/roles",
  operationId: "listRoles",
  tags: ["Members"],
  summary: "List roles",
  description:
    "The roles members can have: the built-in ones (`built_in: true`: owner, admin, developer, analyst, billing) and the organization's custom roles, each with its own and its resolved permissions. Not paginated: an organization has at most 100 custom roles.",
  ...requires("members:read"),
  responses: {
    200: {
      description: "Every role.",
      content: { "application/json": { schema: RoleListSchema } },
    },
    ...errorResponses("restricted_api_key", "forbidden", "invalid_session"),
  },
});

export const registerRolesList = (app: App) =>
  app.openapi(route, async (c) => c.json(await listRoles({ ctx: roleContext(c) }), 200));
