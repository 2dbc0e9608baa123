import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { requiresSession, sessionErrorResponses } from "../../lib/route.ts";
import { setUpMfa } from "../../services/auth/mfa.ts";
import { identityContext } from "../identity-context.ts";
import { MfaSetupSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/auth/mfa/setup",
  operationId: "setUpMfa",
  tags: ["Auth"],
  summary: "Set up MFA",
  description:
    "A new TOTP secret for an authenticator app (and its otpauth:// URI, for a QR code). MFA is on only once POST /auth/mfa/enable confirms a code.",
  ...requiresSession(),
  responses: {
    200: {
      description: "The secret.",
      content: { "application/json": { schema: MfaSetupSchema } },
    },
    ...sessionErrorResponses("invalid_state"),
  },
});

export const registerAuthMfaSetup = (app: App) =>
  app.openapi(route, async (c) => {
    const setup = await setUpMfa({ ctx: identityContext(c), userId: c.var.session.userId });
    return c.json(setup, 200);
  });
