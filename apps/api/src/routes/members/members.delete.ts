import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { removeMember } from "../../services/members/remove-member.ts";
import { memberActor } from "../identity-context.ts";
import { DeletedMemberSchema, MemberIdParamsSchema } from "./schema.ts";

export const route = createRoute({
  method: "delete",
  path: "/members/{id}",
  operationId: "removeMember",
  tags: ["Members"],
  summary: "Remove a member",
  description:
    "Removes someone from the organization (an owner only by an owner, never the last one; nobody removes a member who holds more than they do).",
  ...requires("members:manage"),
  request: { params: MemberIdParamsSchema },
  responses: {
    200: {
      description: "The member is removed.",
      content: { "application/json": { schema: DeletedMemberSchema } },
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

export const registerMembersDelete = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(await removeMember({ ctx: memberActor(c), id: c.req.valid("param").id }), 200),
  );
