import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { linksTo } from "../../lib/openapi-links.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { createDomain } from "../../services/domains/create-domain.ts";
import { domainContext } from "../service-context.ts";
import { CreateDomainSchema, CreatedDomainSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/domains",
  operationId: "createDomain",
  tags: ["Domains"],
  summary: "Add a domain",
  description:
    "Adds a sending domain with a fresh 2048-bit DKIM key, and answers the DNS records to publish. Then call POST /domains/{id}/verify.",
  ...requires("domains:write"),
  request: {
    body: { required: true, content: { "application/json": { schema: CreateDomainSchema } } },
  },
  responses: {
    200: {
      description: "The new domain and its records.",
      content: { "application/json": { schema: CreatedDomainSchema } },
      links: {
        ...linksTo(["getDomain", "updateDomain", "verifyDomain", "deleteDomain"]),
        ...linksTo(["listEvents"], { domain_id: "$response.body#/id" }),
        ...linksTo(["listAuditLogs"], { target_id: "$response.body#/id" }),
      },
    },
    ...errorResponses("restricted_api_key", "validation_error"),
  },
});

export const registerDomainsCreate = (app: App) =>
  app.openapi(route, async (c) => {
    const created = await createDomain({ ctx: domainContext(c), input: c.req.valid("json") });
    return c.json(created, 200);
  });
