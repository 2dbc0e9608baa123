import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { listInvitations } from "../../services/invitations/invitations.ts";
import { identityContext, memberActor } from "../identity-context.ts";
import { PaginationQuerySchema } from "../pagination-schema.ts";
import { InvitationListSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/invitations",
  operationId: "listInvitations",
  tags: ["Members"],
  summary: "List pending invitations",
  description: "Invitations not yet accepted, revoked or expired, newest first.",
  ...requires("members:read"),
  request: { query: PaginationQuerySchema },
  responses: {
    200: {
      description: "A page of invitations.",
      content: { "application/json": { schema: InvitationListSchema } },
    },
    ...errorResponses("restricted_api_key", "forbidden", "invalid_session", "validation_error"),
  },
});

export const registerInvitationsList = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(
      await listInvitations({
        ctx: identityContext(c),
        orgId: memberActor(c).orgId,
        page: c.req.valid("query"),
      }),
      200,
    ),
  );
