import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { publicErrorResponses } from "../../lib/route.ts";
import { confirmPasswordReset } from "../../services/auth/password-reset.ts";
import { identityContext } from "../identity-context.ts";
import { PasswordResetConfirmSchema, PasswordResetDoneSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/auth/password-reset/confirm",
  operationId: "confirmPasswordReset",
  tags: ["Auth"],
  summary: "Set a new password",
  description:
    "Sets the password from the reset link's token. Every session of the account ends; sign in with the new password.",
  request: {
    body: {
      required: true,
      content: { "application/json": { schema: PasswordResetConfirmSchema } },
    },
  },
  responses: {
    200: {
      description: "The password is changed.",
      content: { "application/json": { schema: PasswordResetDoneSchema } },
    },
    ...publicErrorResponses("validation_error", "invalid_token"),
  },
});

export const registerAuthPasswordResetConfirm = (app: App) =>
  app.openapi(route, async (c) => {
    const { token, password } = c.req.valid("json");
    return c.json(await confirmPasswordReset({ ctx: identityContext(c), token, password }), 200);
  });
