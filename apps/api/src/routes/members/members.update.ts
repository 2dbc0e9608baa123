import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { changeMemberRole } from "../../services/members/change-role.ts";
import { memberActor } from "../identity-context.ts";
import { MemberIdParamsSchema, MemberSchema, UpdateMemberSchema } from "./schema.ts";

export const route = createRoute({
  method: "patch",
  path: "/members/{id}",
  operationId: "updateMember",
  tags: ["Members"],
  summary: "Change a member's role",
  description:
    "The role is a built-in one or the name of a custom role of the organization (GET /roles). Only owners make or unmake owners, and the last owner stays one; nobody gives a role granting more than they hold, nor changes the role of a member who holds more (403 `forbidden`). The member's sessions are rotated on their next request.",
  ...requires("members:manage"),
  request: {
    params: MemberIdParamsSchema,
    body: { required: true, content: { "application/json": { schema: UpdateMemberSchema } } },
  },
  responses: {
    200: { description: "The member.", content: { "application/json": { schema: MemberSchema } } },
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

export const registerMembersUpdate = (app: App) =>
  app.openapi(route, async (c) => {
    const member = await changeMemberRole({
      ctx: memberActor(c),
      id: c.req.valid("param").id,
      role: c.req.valid("json").role,
      now: c.var.deps.clock(),
    });
    return c.json(member, 200);
  });
