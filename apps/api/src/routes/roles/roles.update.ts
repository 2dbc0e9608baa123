import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { updateRole } from "../../services/roles/update-role.ts";
import { roleContext } from "./context.ts";
import { RoleIdParamsSchema, RoleSchema, UpdateRoleSchema } from "./schema.ts";

export const route = createRoute({
  method: "patch",
  path: "/roles/{id}",
  operationId: "updateRole",
  tags: ["Members"],
  summary: "Update a custom role",
  description:
    "Changes its name (its members and invitations follow), description, permissions or the role it extends (422 for a cycle). Members whose rights change get a new session on their next request. Built-in roles cannot be changed (409 `invalid_state`); nobody edits a role granting more than they hold (403 `forbidden`).",
  ...requires("members:manage"),
  request: {
    params: RoleIdParamsSchema,
    body: { required: true, content: { "application/json": { schema: UpdateRoleSchema } } },
  },
  responses: {
    200: { description: "The role.", content: { "application/json": { schema: RoleSchema } } },
    ...errorResponses(
      "restricted_api_key",
      "forbidden",
      "invalid_session",
      "invalid_csrf_token",
      "validation_error",
      "not_found",
      "already_exists",
      "invalid_state",
    ),
  },
});

export const registerRolesUpdate = (app: App) =>
  app.openapi(route, async (c) => {
    const ctx = roleContext(c);
    const role = await updateRole({
      ctx,
      id: c.req.valid("param").id,
      input: c.req.valid("json"),
    });
    c.var.deps.roles.forget(ctx.orgId);
    return c.json(role, 200);
  });
