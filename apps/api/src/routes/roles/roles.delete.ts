import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { deleteRole } from "../../services/roles/delete-role.ts";
import { roleContext } from "./context.ts";
import { DeletedRoleSchema, RoleIdParamsSchema } from "./schema.ts";

export const route = createRoute({
  method: "delete",
  path: "/roles/{id}",
  operationId: "deleteRole",
  tags: ["Members"],
  summary: "Delete a custom role",
  description:
    "Only a role nobody uses: while members have it, a pending invitation offers it or another role extends it, the answer is 409 `invalid_state` (give them another role first). Built-in roles cannot be deleted.",
  ...requires("members:manage"),
  request: { params: RoleIdParamsSchema },
  responses: {
    200: {
      description: "The role was deleted.",
      content: { "application/json": { schema: DeletedRoleSchema } },
    },
    ...errorResponses(
      "restricted_api_key",
      "forbidden",
      "invalid_session",
      "invalid_csrf_token",
      "validation_error",
      "not_found",
      "invalid_state",
    ),
  },
});

export const registerRolesDelete = (app: App) =>
  app.openapi(route, async (c) => {
    const ctx = roleContext(c);
    const deleted = await deleteRole({ ctx, id: c.req.valid("param").id });
    c.var.deps.roles.forget(ctx.orgId);
    return c.json(deleted, 200);
  });
