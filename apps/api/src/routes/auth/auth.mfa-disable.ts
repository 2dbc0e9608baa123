import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { requiresSession, sessionErrorResponses } from "../../lib/route.ts";
import { disableMfa } from "../../services/auth/mfa.ts";
import { identityContext } from "../identity-context.ts";
import { MfaCodeSchema, MfaDisabledSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/auth/mfa/disable",
  operationId: "disableMfa",
  tags: ["Auth"],
  summary: "Disable MFA",
  description:
    "Turns MFA off, given a current code or a recovery code: a stolen session alone cannot.",
  ...requiresSession(),
  request: { body: { required: true, content: { "application/json": { schema: MfaCodeSchema } } } },
  responses: {
    200: {
      description: "MFA is off.",
      content: { "application/json": { schema: MfaDisabledSchema } },
    },
    ...sessionErrorResponses(
      "validation_error",
      "invalid_credentials",
      "account_locked",
      "invalid_state",
    ),
  },
});

export const registerAuthMfaDisable = (app: App) =>
  app.openapi(route, async (c) => {
    const disabled = await disableMfa({
      ctx: identityContext(c),
      userId: c.var.session.userId,
      code: c.req.valid("json").code,
    });
    return c.json(disabled, 200);
  });
