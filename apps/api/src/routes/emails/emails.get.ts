import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { getEmail } from "../../services/emails/get-email.ts";
import { serviceContext } from "../service-context.ts";
import { EmailIdParamsSchema, EmailSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/emails/{id}",
  operationId: "getEmail",
  tags: ["Emails"],
  summary: "Retrieve an email",
  description: "An email with its content and its latest event.",
  ...requires("emails:read"),
  request: { params: EmailIdParamsSchema },
  responses: {
    200: { description: "The email.", content: { "application/json": { schema: EmailSchema } } },
    ...errorResponses("restricted_api_key", "validation_error", "not_found"),
  },
});

export const registerEmailsGet = (app: App) =>
  app.openapi(route, async (c) => {
    const email = await getEmail({ ctx: serviceContext(c), id: c.req.valid("param").id });
    return c.json(email, 200);
  });
