import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { revokeInvitation } from "../../services/invitations/invitations.ts";
import { identityContext, memberActor } from "../identity-context.ts";
import { DeletedInvitationSchema, InvitationIdParamsSchema } from "./schema.ts";

export const route = createRoute({
  method: "delete",
  path: "/invitations/{id}",
  operationId: "revokeInvitation",
  tags: ["Members"],
  summary: "Revoke an invitation",
  description: "Its link stops working.",
  ...requires("members:manage"),
  request: { params: InvitationIdParamsSchema },
  responses: {
    200: {
      description: "The invitation is revoked.",
      content: { "application/json": { schema: DeletedInvitationSchema } },
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

export const registerInvitationsDelete = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(
      await revokeInvitation({
        ctx: identityContext(c),
        orgId: memberActor(c).orgId,
        id: c.req.valid("param").id,
      }),
      200,
    ),
  );
