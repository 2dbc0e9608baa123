import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { requiresSession, sessionErrorResponses } from "../../lib/route.ts";
import { csrfTokenFor } from "../../lib/session-cookie.ts";
import { sessionView } from "../../services/auth/session-view.ts";
import { SessionSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/auth/session",
  operationId: "getSession",
  tags: ["Auth"],
  summary: "Retrieve the session",
  description:
    "Who is signed in, their organizations, and the CSRF token their changes must carry.",
  ...requiresSession({ allowPendingMfa: true }),
  responses: {
    200: {
      description: "The session.",
      content: { "application/json": { schema: SessionSchema } },
    },
    ...sessionErrorResponses(),
  },
});

export const registerAuthSession = (app: App) =>
  app.openapi(route, async (c) => {
    const { deps, session } = c.var;
    const view = await sessionView({
      ctx: { db: deps.database.db, roles: deps.roles },
      session,
      csrfToken: csrfTokenFor(deps.csrfKey, session.id),
    });
    return c.json(view, 200);
  });
