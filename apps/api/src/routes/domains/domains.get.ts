import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { getDomain } from "../../services/domains/get-domain.ts";
import { domainContext } from "../service-context.ts";
import { DomainIdParamsSchema, DomainSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/domains/{id}",
  operationId: "getDomain",
  tags: ["Domains"],
  summary: "Retrieve a domain",
  description: "A domain, its settings, and each DNS record with the status of its last check.",
  ...requires("domains:read"),
  request: { params: DomainIdParamsSchema },
  responses: {
    200: { description: "The domain.", content: { "application/json": { schema: DomainSchema } } },
    ...errorResponses("restricted_api_key", "validation_error", "not_found"),
  },
});

export const registerDomainsGet = (app: App) =>
  app.openapi(route, async (c) => {
    const domain = await getDomain({ ctx: domainContext(c), id: c.req.valid("param").id });
    return c.json(domain, 200);
  });
