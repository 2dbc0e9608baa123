import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { listSuppressions } from "../../services/suppressions/list-suppressions.ts";
import { serviceContext } from "../service-context.ts";
import { ListSuppressionsQuerySchema, SuppressionListSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/suppressions",
  operationId: "listSuppressions",
  tags: ["Suppressions"],
  summary: "List suppressions",
  description: "The organization's suppressed addresses, newest first, optionally of one origin.",
  ...requires("suppressions:read"),
  request: { query: ListSuppressionsQuerySchema },
  responses: {
    200: {
      description: "A page of suppressions.",
      content: { "application/json": { schema: SuppressionListSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error"),
  },
});

export const registerSuppressionsList = (app: App) =>
  app.openapi(route, async (c) => {
    const { origin, ...page } = c.req.valid("query");
    return c.json(await listSuppressions({ ctx: serviceContext(c), page, origin }), 200);
  });
