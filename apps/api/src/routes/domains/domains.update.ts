import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { updateDomain } from "../../services/domains/update-domain.ts";
import { domainContext } from "../service-context.ts";
import { DomainIdParamsSchema, DomainRefSchema, UpdateDomainSchema } from "./schema.ts";

export const route = createRoute({
  method: "patch",
  path: "/domains/{id}",
  operationId: "updateDomain",
  tags: ["Domains"],
  summary: "Update a domain",
  description: "Turns open and click tracking on or off, or changes the TLS mode.",
  ...requires("domains:write"),
  request: {
    params: DomainIdParamsSchema,
    // Every field is optional, and a request without a body changes nothing, as `{}` does.
    body: { required: false, content: { "application/json": { schema: UpdateDomainSchema } } },
  },
  responses: {
    200: {
      description: "The domain was updated.",
      content: { "application/json": { schema: DomainRefSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found"),
  },
});

export const registerDomainsUpdate = (app: App) =>
  app.openapi(route, async (c) => {
    const updated = await updateDomain({
      ctx: domainContext(c),
      id: c.req.valid("param").id,
      input: c.req.valid("json"),
    });
    return c.json(updated, 200);
  });
