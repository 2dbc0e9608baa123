import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { publicErrorResponses } from "../../lib/route.ts";
import { requestPasswordReset } from "../../services/auth/password-reset.ts";
import { identityContext } from "../identity-context.ts";
import { AcceptedSchema, PasswordResetSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/auth/password-reset",
  operationId: "requestPasswordReset",
  tags: ["Auth"],
  summary: "Request a password reset",
  description:
    "Emails a single-use link (valid 30 minutes) to the address when it has an account. The answer is the same either way.",
  request: {
    body: { required: true, content: { "application/json": { schema: PasswordResetSchema } } },
  },
  responses: {
    202: {
      description: "If the address has an account, the email is on its way.",
      content: { "application/json": { schema: AcceptedSchema } },
    },
    ...publicErrorResponses("validation_error"),
  },
});

export const registerAuthPasswordReset = (app: App) =>
  app.openapi(route, async (c) => {
    await requestPasswordReset({ ctx: identityContext(c), email: c.req.valid("json").email });
    return c.json({ object: "password_reset" as const, requested: true as const }, 202);
  });
