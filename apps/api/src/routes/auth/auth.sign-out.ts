import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { requiresSession, sessionErrorResponses } from "../../lib/route.ts";
import { clearSessionCookies } from "../../lib/session-cookie.ts";
import { revokeSession } from "../../services/sessions/sessions.ts";
import { SignedOutSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/auth/sign-out",
  operationId: "signOut",
  tags: ["Auth"],
  summary: "Sign out",
  description:
    "Ends the session: its cookie stops working at once, here and anywhere it was copied to.",
  ...requiresSession({ allowPendingMfa: true }),
  responses: {
    200: {
      description: "Signed out.",
      content: { "application/json": { schema: SignedOutSchema } },
    },
    ...sessionErrorResponses(),
  },
});

export const registerAuthSignOut = (app: App) =>
  app.openapi(route, async (c) => {
    const { deps, session } = c.var;
    await revokeSession(deps.database.db, session.id, deps.clock());
    clearSessionCookies(c);
    return c.json({ object: "session" as const, signed_out: true as const }, 200);
  });
