import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { linksTo } from "../../lib/openapi-links.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { listEmails } from "../../services/emails/list-emails.ts";
import { PaginationQuerySchema } from "../pagination-schema.ts";
import { serviceContext } from "../service-context.ts";
import { EmailListSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/emails",
  operationId: "listEmails",
  tags: ["Emails"],
  summary: "List emails",
  description: "Emails sent by the organization, newest first, with cursor pagination.",
  ...requires("emails:read"),
  request: { query: PaginationQuerySchema },
  responses: {
    200: {
      description: "A page of emails.",
      content: { "application/json": { schema: EmailListSchema } },
      links: linksTo(["getEmail"], { id: "$response.body#/data/0/id" }),
    },
    ...errorResponses("restricted_api_key", "validation_error"),
  },
});

export const registerEmailsList = (app: App) =>
  app.openapi(route, async (c) => {
    const page = await listEmails({ ctx: serviceContext(c), page: c.req.valid("query") });
    return c.json(page, 200);
  });
