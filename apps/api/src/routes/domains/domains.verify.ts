import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { verifyDomain } from "../../services/domains/verify-domain.ts";
import { serviceContext } from "../service-context.ts";
import { DomainIdParamsSchema, DomainRefSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/domains/{id}/verify",
  operationId: "verifyDomain",
  tags: ["Domains"],
  summary: "Verify a domain",
  description:
    "Starts a check of the domain's DNS records; GET /domains/{id} shows the outcome within seconds. A `failed` domain gets another 72 hours. Pending and verified domains are also re-checked on their own.",
  ...requires("domains:write"),
  request: { params: DomainIdParamsSchema },
  responses: {
    200: {
      description: "The check is under way.",
      content: { "application/json": { schema: DomainRefSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found"),
  },
});

export const registerDomainsVerify = (app: App) =>
  app.openapi(route, async (c) => {
    const result = await verifyDomain({ ctx: serviceContext(c), id: c.req.valid("param").id });
    return c.json(result, 200);
  });
