import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { rescheduleEmail } from "../../services/emails/reschedule-email.ts";
import { serviceContext } from "../service-context.ts";
import { EmailIdParamsSchema, EmailRefSchema, UpdateEmailSchema } from "./schema.ts";

export const route = createRoute({
  method: "patch",
  path: "/emails/{id}",
  operationId: "updateEmail",
  tags: ["Emails"],
  summary: "Reschedule an email",
  description: "Changes the send time of a scheduled email. A time in the past sends it now.",
  ...requires("emails:write"),
  request: {
    params: EmailIdParamsSchema,
    body: { required: true, content: { "application/json": { schema: UpdateEmailSchema } } },
  },
  responses: {
    200: {
      description: "The email was rescheduled.",
      content: { "application/json": { schema: EmailRefSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found", "invalid_state"),
  },
});

export const registerEmailsUpdate = (app: App) =>
  app.openapi(route, async (c) => {
    const result = await rescheduleEmail({
      ctx: serviceContext(c),
      id: c.req.valid("param").id,
      scheduledAt: new Date(c.req.valid("json").scheduled_at),
    });
    return c.json(result, 200);
  });
