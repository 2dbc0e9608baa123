import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { requiresSession, sessionErrorResponses } from "../../lib/route.ts";
import { csrfTokenFor, setSessionCookies } from "../../lib/session-cookie.ts";
import { enableMfa } from "../../services/auth/mfa.ts";
import { rotateSession } from "../../services/sessions/sessions.ts";
import { identityContext } from "../identity-context.ts";
import { MfaCodeSchema, MfaEnabledSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/auth/mfa/enable",
  operationId: "enableMfa",
  tags: ["Auth"],
  summary: "Enable MFA",
  description:
    "Turns MFA on with a first code from the app, and answers ten recovery codes: shown this once. The session is rotated (new cookies, new CSRF token).",
  ...requiresSession(),
  request: { body: { required: true, content: { "application/json": { schema: MfaCodeSchema } } } },
  responses: {
    200: {
      description: "MFA is on.",
      content: { "application/json": { schema: MfaEnabledSchema } },
    },
    ...sessionErrorResponses("validation_error", "invalid_credentials", "invalid_state"),
  },
});

export const registerAuthMfaEnable = (app: App) =>
  app.openapi(route, async (c) => {
    const ctx = identityContext(c);
    const { session, deps } = c.var;
    const enabled = await enableMfa({
      ctx,
      userId: session.userId,
      code: c.req.valid("json").code,
    });
    // This session proved the code: it stays signed in, under a new id.
    const rotated = await rotateSession(ctx.db, session, {
      now: ctx.now,
      timeouts: ctx.timeouts,
      mfaVerified: true,
      ...ctx.client,
    });
    setSessionCookies(c, {
      token: rotated.token,
      csrfToken: csrfTokenFor(deps.csrfKey, rotated.id),
      absoluteExpiresAt: rotated.absoluteExpiresAt,
      now: ctx.now,
    });
    return c.json(enabled, 200);
  });
