import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { deleteOrganization } from "../../services/organizations/delete-organization.ts";
import { organizationContext } from "./context.ts";
import { DeletedOrganizationSchema } from "./schema.ts";

export const route = createRoute({
  method: "delete",
  path: "/organization",
  operationId: "deleteOrganization",
  tags: ["Organization"],
  summary: "Delete the organization",
  description:
    "Owners only. At once its API keys stop working and nobody can act for it; its data (emails, events, domains, webhooks, suppressions...) is then deleted by a background job.",
  ...requires("organization:delete"),
  responses: {
    200: {
      description: "The organization is deleted.",
      content: { "application/json": { schema: DeletedOrganizationSchema } },
    },
    ...errorResponses("restricted_api_key", "forbidden", "invalid_session", "invalid_csrf_token"),
  },
});

export const registerOrganizationDelete = (app: App) =>
  app.openapi(route, async (c) => {
    const { deps } = c.var;
    const ctx = organizationContext(c);
    const { result, revokedKeys } = await deleteOrganization({ ctx, now: deps.clock() });
    for (const keyId of revokedKeys) deps.authenticator.forget(keyId);
    deps.senders.domains.forget(ctx.orgId);
    return c.json(result, 200);
  });
