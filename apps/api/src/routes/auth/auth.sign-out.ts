import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { requiresSession, sessionErrorResponses } from "../../lib/route.ts";
import { clearSessionCookies } from "../../lib/session-cookie.ts";
import { signOut } from "../../services/auth/sign-out.ts";
import { identityContext } from "../identity-context.ts";
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
    await signOut({ ctx: identityContext(c), session: c.var.session });
    clearSessionCookies(c);
    return c.json({ object: "session" as const, signed_out: true as const }, 200);
  });
