import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { leaveOrganization } from "../../services/members/remove-member.ts";
import { memberActor } from "../identity-context.ts";
import { DeletedMemberSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/members/leave",
  operationId: "leaveOrganization",
  tags: ["Members"],
  summary: "Leave the organization",
  description:
    "You leave the session's organization. Its last owner cannot: transfer the ownership or delete it.",
  ...requires("members:read"),
  responses: {
    200: {
      description: "You left.",
      content: { "application/json": { schema: DeletedMemberSchema } },
    },
    ...errorResponses(
      "restricted_api_key",
      "forbidden",
      "invalid_session",
      "invalid_csrf_token",
      "invalid_state",
    ),
  },
});

export const registerMembersLeave = (app: App) =>
  app.openapi(route, async (c) => c.json(await leaveOrganization({ ctx: memberActor(c) }), 200));
