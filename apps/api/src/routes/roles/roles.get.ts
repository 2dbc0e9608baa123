import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { getRole } from "../../services/roles/roles.ts";
import { roleContext } from "./context.ts";
import { RoleIdParamsSchema, RoleSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/roles/{id}",
  operationId: "getRole",
  tags: ["Members"],
  summary: "Retrieve a role",
  description:
    "A custom role by id or name, or a built-in role by name, with its resolved permissions.",
  ...requires("members:read"),
  request: { params: RoleIdParamsSchema },
  responses: {
    200: { description: "The role.", content: { "application/json": { schema: RoleSchema } } },
    ...errorResponses(
      "restricted_api_key",
      "forbidden",
      "invalid_session",
      "validation_error",
      "not_found",
    ),
  },
});

export const registerRolesGet = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(await getRole({ ctx: roleContext(c), id: c.req.valid("param").id }), 200),
  );
