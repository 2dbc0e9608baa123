import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { removeSuppressions } from "../../services/suppressions/remove-suppressions.ts";
import { serviceContext } from "../service-context.ts";
import { BatchRemovedSuppressionsSchema, BatchRemoveSuppressionsSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/suppressions/batch/remove",
  operationId: "batchRemoveSuppressions",
  tags: ["Suppressions"],
  summary: "Remove up to 100 suppressions",
  description:
    "Removes suppressions by `emails` or by `ids`. Addresses that were not suppressed are not listed.",
  ...requires("suppressions:write"),
  request: {
    body: {
      required: true,
      content: { "application/json": { schema: BatchRemoveSuppressionsSchema } },
    },
  },
  responses: {
    200: {
      description: "The removed suppressions.",
      content: { "application/json": { schema: BatchRemovedSuppressionsSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error"),
  },
});

export const registerSuppressionsBatchRemove = (app: App) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const removed = await removeSuppressions({
      ctx: serviceContext(c),
      emails: "emails" in body ? body.emails : undefined,
      ids: "ids" in body ? body.ids : undefined,
    });
    return c.json(removed, 200);
  });
