import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { optionalSession } from "../../lib/auth.ts";
import { publicErrorResponses } from "../../lib/route.ts";
import { acceptInvitation } from "../../services/invitations/accept-invitation.ts";
import { SessionSchema } from "../auth/schema.ts";
import { identityContext, startSession } from "../identity-context.ts";
import { AcceptInvitationSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/invitations/accept",
  operationId: "acceptInvitation",
  tags: ["Members"],
  summary: "Accept an invitation",
  description:
    "With the token of the emailed link. Signed in (session cookie and X-CSRF-Token), as the invited address: you join, and the session moves to the organization. Not signed in, for an address without an account: give `password` (and `name`) and the account is created, verified and signed in.",
  request: {
    body: { required: true, content: { "application/json": { schema: AcceptInvitationSchema } } },
  },
  responses: {
    200: {
      description: "A member now: the session.",
      content: { "application/json": { schema: SessionSchema } },
    },
    ...publicErrorResponses(
      "validation_error",
      "invalid_token",
      "forbidden",
      "invalid_session",
      "invalid_csrf_token",
    ),
  },
});

export const registerInvitationsAccept = (app: App) =>
  app.openapi(route, async (c) => {
    const session = await optionalSession(c);
    const accepted = await acceptInvitation({
      ctx: identityContext(c),
      input: c.req.valid("json"),
      session,
    });
    return c.json(await startSession(c, accepted), 200);
  });
