import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { linksTo } from "../../lib/openapi-links.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { addSuppressionsAudited } from "../../services/suppressions/add-suppressions.ts";
import { serviceContext } from "../service-context.ts";
import { AddSuppressionSchema, SuppressionRefSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/suppressions",
  operationId: "addSuppression",
  tags: ["Suppressions"],
  summary: "Suppress an address",
  description:
    "Adds an address to the suppression list: nothing more is sent to it. Adding one already there answers the existing entry.",
  ...requires("suppressions:write"),
  request: {
    body: { required: true, content: { "application/json": { schema: AddSuppressionSchema } } },
  },
  responses: {
    200: {
      description: "The suppression.",
      content: { "application/json": { schema: SuppressionRefSchema } },
      links: linksTo(["getSuppression", "removeSuppression"], {
        id_or_email: "$response.body#/id",
      }),
    },
    ...errorResponses("restricted_api_key", "validation_error"),
  },
});

export const registerSuppressionsAdd = (app: App) =>
  app.openapi(route, async (c) => {
    const ctx = serviceContext(c);
    const [added] = await addSuppressionsAudited({
      ctx,
      entries: [
        {
          email: c.req.valid("json").email,
          origin: "manual",
          details: { api_key_id: ctx.apiKeyId },
        },
      ],
    });
    if (!added) throw new Error("addSuppressions answered nothing for one address");
    return c.json(added, 200);
  });
