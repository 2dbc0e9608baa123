import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { linksTo } from "../../lib/openapi-links.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { createInvitation } from "../../services/invitations/invitations.ts";
import { identityContext, memberActor } from "../identity-context.ts";
import { CreateInvitationSchema, InvitationSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/invitations",
  operationId: "createInvitation",
  tags: ["Members"],
  summary: "Invite someone",
  description:
    "Emails a link that joins the organization with the role, a built-in one or a custom role's name (valid 7 days). A pending invitation of the same address is replaced. Only owners invite owners; nobody invites with a role granting more than they hold (403 `forbidden`).",
  ...requires("members:manage"),
  request: {
    body: { required: true, content: { "application/json": { schema: CreateInvitationSchema } } },
  },
  responses: {
    201: {
      description: "The invitation is sent.",
      content: { "application/json": { schema: InvitationSchema } },
      links: linksTo(["revokeInvitation"]),
    },
    ...errorResponses(
      "restricted_api_key",
      "forbidden",
      "invalid_session",
      "invalid_csrf_token",
      "validation_error",
      "already_exists",
    ),
  },
});

export const registerInvitationsCreate = (app: App) =>
  app.openapi(route, async (c) => {
    const invitation = await createInvitation({
      ctx: identityContext(c),
      actor: memberActor(c),
      input: c.req.valid("json"),
    });
    return c.json(invitation, 201);
  });
