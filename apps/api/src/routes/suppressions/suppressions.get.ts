import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { getSuppression } from "../../services/suppressions/find-suppression.ts";
import { serviceContext } from "../service-context.ts";
import { IdOrEmailParamsSchema, SuppressionSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/suppressions/{id_or_email}",
  operationId: "getSuppression",
  tags: ["Suppressions"],
  summary: "Retrieve a suppression",
  description: "A suppression, by its id or by the suppressed address.",
  ...requires("suppressions:read"),
  request: { params: IdOrEmailParamsSchema },
  responses: {
    200: {
      description: "The suppression.",
      content: { "application/json": { schema: SuppressionSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found"),
  },
});

export const registerSuppressionsGet = (app: App) =>
  app.openapi(route, async (c) => {
    const { id_or_email: idOrEmail } = c.req.valid("param");
    return c.json(await getSuppression({ ctx: serviceContext(c), idOrEmail }), 200);
  });
