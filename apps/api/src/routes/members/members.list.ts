import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { listMembers } from "../../services/members/members.ts";
import { memberActor } from "../identity-context.ts";
import { PaginationQuerySchema } from "../pagination-schema.ts";
import { MemberListSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/members",
  operationId: "listMembers",
  tags: ["Members"],
  summary: "List members",
  description: "The people of the organization and their roles, newest first.",
  ...requires("members:read"),
  request: { query: PaginationQuerySchema },
  responses: {
    200: {
      description: "A page of members.",
      content: { "application/json": { schema: MemberListSchema } },
    },
    ...errorResponses("restricted_api_key", "forbidden", "invalid_session", "validation_error"),
  },
});

export const registerMembersList = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(await listMembers({ ctx: memberActor(c), page: c.req.valid("query") }), 200),
  );
