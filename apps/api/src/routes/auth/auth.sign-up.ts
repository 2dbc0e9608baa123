import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { publicErrorResponses } from "../../lib/route.ts";
import { signUp } from "../../services/auth/sign-up.ts";
import { identityContext, startSession } from "../identity-context.ts";
import { SessionSchema, SignUpSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/auth/sign-up",
  operationId: "signUp",
  tags: ["Auth"],
  summary: "Sign up",
  description:
    "Creates an account, its organization (with the new person as owner) and a session (cookies). An email asks to confirm the address.",
  request: { body: { required: true, content: { "application/json": { schema: SignUpSchema } } } },
  responses: {
    201: {
      description: "Signed up and in.",
      content: { "application/json": { schema: SessionSchema } },
    },
    ...publicErrorResponses("validation_error", "already_exists"),
  },
});

export const registerAuthSignUp = (app: App) =>
  app.openapi(route, async (c) => {
    const session = await signUp({ ctx: identityContext(c), input: c.req.valid("json") });
    return c.json(await startSession(c, session), 201);
  });
