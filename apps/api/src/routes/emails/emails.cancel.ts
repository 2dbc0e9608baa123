import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { cancelEmail } from "../../services/emails/cancel-email.ts";
import { serviceContext } from "../service-context.ts";
import { EmailIdParamsSchema, EmailRefSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/emails/{id}/cancel",
  operationId: "cancelEmail",
  tags: ["Emails"],
  summary: "Cancel an email",
  description: "Cancels an email that is scheduled or not yet handed to a mail server.",
  ...requires("emails:write"),
  request: { params: EmailIdParamsSchema },
  responses: {
    200: {
      description: "The email was canceled.",
      content: { "application/json": { schema: EmailRefSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found", "invalid_state"),
  },
});

export const registerEmailsCancel = (app: App) =>
  app.openapi(route, async (c) => {
    const result = await cancelEmail({ ctx: serviceContext(c), id: c.req.valid("param").id });
    return c.json(result, 200);
  });
