import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { idempotent } from "../../lib/idempotent-request.ts";
import { linksTo } from "../../lib/openapi-links.ts";
import { errorResponses, requires, SEND_ERRORS } from "../../lib/route.ts";
import { sendEmail } from "../../services/emails/send-emails.ts";
import { serviceContext } from "../service-context.ts";
import { SendEmailResponseSchema, SendEmailSchema, SendHeadersSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/emails",
  operationId: "sendEmail",
  tags: ["Emails"],
  summary: "Send an email",
  description:
    "Accepts an email for delivery and answers its id once the email and its delivery job are durably committed. With `scheduled_at`, it waits until then.",
  ...requires("emails:send"),
  request: {
    headers: SendHeadersSchema,
    body: { required: true, content: { "application/json": { schema: SendEmailSchema } } },
  },
  responses: {
    200: {
      description: "The email was accepted.",
      content: { "application/json": { schema: SendEmailResponseSchema } },
      links: {
        ...linksTo(["getEmail", "updateEmail", "cancelEmail"]),
        ...linksTo(["listEvents"], { email_id: "$response.body#/id" }),
      },
    },
    ...errorResponses(...SEND_ERRORS),
  },
});

export const registerEmailsSend = (app: App) =>
  app.openapi(route, async (c) => {
    const input = c.req.valid("json");
    const result = await idempotent(
      c,
      { operation: "POST /emails", key: c.req.valid("header")["idempotency-key"], request: input },
      (idempotencyKey) => sendEmail({ ctx: serviceContext(c), input, idempotencyKey }),
    );
    if (result.replayed) c.header("Idempotent-Replayed", "true");
    return c.json(result.body, 200);
  });
