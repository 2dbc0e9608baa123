import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { requiresSession, sessionErrorResponses } from "../../lib/route.ts";
import { verifyMfa } from "../../services/auth/verify-mfa.ts";
import { identityContext, startSession } from "../identity-context.ts";
import { MfaCodeSchema, SessionSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/auth/mfa/verify",
  operationId: "verifyMfa",
  tags: ["Auth"],
  summary: "Verify the second factor",
  description:
    "Completes a sign-in with MFA: a code from the authenticator app, or a recovery code (each works once). The session is replaced by a new one (new cookies, new CSRF token).",
  ...requiresSession({ allowPendingMfa: true }),
  request: { body: { required: true, content: { "application/json": { schema: MfaCodeSchema } } } },
  responses: {
    200: { description: "Signed in.", content: { "application/json": { schema: SessionSchema } } },
    ...sessionErrorResponses(
      "validation_error",
      "invalid_credentials",
      "account_locked",
      "invalid_state",
    ),
  },
});

export const registerAuthMfaVerify = (app: App) =>
  app.openapi(route, async (c) => {
    const session = await verifyMfa({
      ctx: identityContext(c),
      session: c.var.session,
      code: c.req.valid("json").code,
    });
    return c.json(await startSession(c, session), 200);
  });
