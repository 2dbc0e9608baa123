import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { deleteDomain } from "../../services/domains/delete-domain.ts";
import { domainContext } from "../service-context.ts";
import { DeletedDomainSchema, DomainIdParamsSchema } from "./schema.ts";

export const route = createRoute({
  method: "delete",
  path: "/domains/{id}",
  operationId: "deleteDomain",
  tags: ["Domains"],
  summary: "Delete a domain",
  description: "Removes the domain and its DKIM key; nothing more is sent from it.",
  ...requires("domains:write"),
  request: { params: DomainIdParamsSchema },
  responses: {
    200: {
      description: "The domain was deleted.",
      content: { "application/json": { schema: DeletedDomainSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found"),
  },
});

export const registerDomainsDelete = (app: App) =>
  app.openapi(route, async (c) => {
    const deleted = await deleteDomain({ ctx: domainContext(c), id: c.req.valid("param").id });
    return c.json(deleted, 200);
  });
