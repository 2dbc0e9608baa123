import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { requiresSession, sessionErrorResponses } from "../../lib/route.ts";
import { switchOrganization } from "../../services/auth/switch-organization.ts";
import { identityContext, startSession } from "../identity-context.ts";
import { SessionSchema, SwitchOrganizationSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/auth/switch-organization",
  operationId: "switchOrganization",
  tags: ["Auth"],
  summary: "Switch organization",
  description:
    "Makes another of your organizations the session's. The session is rotated (new cookies, new CSRF token).",
  ...requiresSession(),
  request: {
    body: { required: true, content: { "application/json": { schema: SwitchOrganizationSchema } } },
  },
  responses: {
    200: {
      description: "The session, in the organization.",
      content: { "application/json": { schema: SessionSchema } },
    },
    ...sessionErrorResponses("validation_error", "not_found"),
  },
});

export const registerAuthSwitchOrganization = (app: App) =>
  app.openapi(route, async (c) => {
    const session = await switchOrganization({
      ctx: identityContext(c),
      session: c.var.session,
      orgId: c.req.valid("json").organization_id,
    });
    return c.json(await startSession(c, session), 200);
  });
