import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { createRole } from "../../services/roles/create-role.ts";
import { roleContext } from "./context.ts";
import { CreateRoleSchema, RoleSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/roles",
  operationId: "createRole",
  tags: ["Members"],
  summary: "Create a custom role",
  description:
    "A role of the organization's own: a set of permissions from the catalog, optionally on top of a built-in role (not owner) or another custom role (`extends`). Members and invitations then take its `name` as their `role`. Nobody creates a role granting more than they hold (403 `forbidden`).",
  ...requires("members:manage"),
  request: {
    body: { required: true, content: { "application/json": { schema: CreateRoleSchema } } },
  },
  responses: {
    201: {
      description: "The new role.",
      content: { "application/json": { schema: RoleSchema } },
    },
    ...errorResponses(
      "restricted_api_key",
      "forbidden",
      "invalid_session",
      "invalid_csrf_token",
      "validation_error",
      "already_exists",
      "invalid_state",
    ),
  },
});

export const registerRolesCreate = (app: App) =>
  app.openapi(route, async (c) => {
    const ctx = roleContext(c);
    const role = await createRole({ ctx, input: c.req.valid("json") });
    c.var.deps.roles.forget(ctx.orgId);
    return c.json(role, 201);
  });
