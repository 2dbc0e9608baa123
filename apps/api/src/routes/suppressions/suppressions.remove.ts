import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { removeSuppression } from "../../services/suppressions/remove-suppressions.ts";
import { serviceContext } from "../service-context.ts";
import { IdOrEmailParamsSchema, RemovedSuppressionSchema } from "./schema.ts";

export const route = createRoute({
  method: "delete",
  path: "/suppressions/{id_or_email}",
  operationId: "removeSuppression",
  tags: ["Suppressions"],
  summary: "Remove a suppression",
  description: "Removes a suppression, by its id or by the address: it can be sent to again.",
  ...requires("suppressions:write"),
  request: { params: IdOrEmailParamsSchema },
  responses: {
    200: {
      description: "The suppression was removed.",
      content: { "application/json": { schema: RemovedSuppressionSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found"),
  },
});

export const registerSuppressionsRemove = (app: App) =>
  app.openapi(route, async (c) => {
    const { id_or_email: idOrEmail } = c.req.valid("param");
    return c.json(await removeSuppression({ ctx: serviceContext(c), idOrEmail }), 200);
  });
