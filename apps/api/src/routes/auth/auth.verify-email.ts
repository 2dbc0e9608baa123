import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { publicErrorResponses } from "../../lib/route.ts";
import { verifyEmail } from "../../services/auth/email-verification.ts";
import { identityContext } from "../identity-context.ts";
import { EmailVerifiedSchema, VerifyEmailSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/auth/verify-email",
  operationId: "verifyEmail",
  tags: ["Auth"],
  summary: "Confirm an email address",
  description: "Confirms the address with the token of the link emailed at sign-up.",
  request: {
    body: { required: true, content: { "application/json": { schema: VerifyEmailSchema } } },
  },
  responses: {
    200: {
      description: "The address is confirmed.",
      content: { "application/json": { schema: EmailVerifiedSchema } },
    },
    ...publicErrorResponses("validation_error", "invalid_token"),
  },
});

export const registerAuthVerifyEmail = (app: App) =>
  app.openapi(route, async (c) => {
    return c.json(
      await verifyEmail({ ctx: identityContext(c), token: c.req.valid("json").token }),
      200,
    );
  });
