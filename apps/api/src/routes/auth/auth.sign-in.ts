import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { publicErrorResponses } from "../../lib/route.ts";
import { readSessionCookie } from "../../lib/session-cookie.ts";
import { signIn } from "../../services/auth/sign-in.ts";
import { findSession } from "../../services/sessions/sessions.ts";
import { identityContext, startSession } from "../identity-context.ts";
import { SessionSchema, SignInSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/auth/sign-in",
  operationId: "signIn",
  tags: ["Auth"],
  summary: "Sign in",
  description:
    "Email and password to a session (cookies). With MFA on, the session has `mfa_required: true` and only POST /auth/mfa/verify works until a code is given. Repeated failures lock the account for a while, longer each time.",
  request: { body: { required: true, content: { "application/json": { schema: SignInSchema } } } },
  responses: {
    200: {
      description: "Signed in (or waiting for the second factor).",
      content: { "application/json": { schema: SessionSchema } },
    },
    ...publicErrorResponses("validation_error", "invalid_credentials", "account_locked"),
  },
});

export const registerAuthSignIn = (app: App) =>
  app.openapi(route, async (c) => {
    const ctx = identityContext(c);
    const previous = readSessionCookie(c);
    const previousSession = previous ? await findSession(ctx.db, previous, ctx.now) : null;
    const session = await signIn({
      ctx,
      input: c.req.valid("json"),
      previousSessionId: previousSession?.id,
    });
    return c.json(await startSession(c, session), 200);
  });
