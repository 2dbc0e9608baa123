import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { listDomains } from "../../services/domains/list-domains.ts";
import { PaginationQuerySchema } from "../pagination-schema.ts";
import { serviceContext } from "../service-context.ts";
import { DomainListSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/domains",
  operationId: "listDomains",
  tags: ["Domains"],
  summary: "List domains",
  description: "The organization's domains, newest first.",
  ...requires("domains:read"),
  request: { query: PaginationQuerySchema },
  responses: {
    200: {
      description: "A page of domains.",
      content: { "application/json": { schema: DomainListSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error"),
  },
});

export const registerDomainsList = (app: App) =>
  app.openapi(route, async (c) => {
    const page = await listDomains({ ctx: serviceContext(c), page: c.req.valid("query") });
    return c.json(page, 200);
  });
