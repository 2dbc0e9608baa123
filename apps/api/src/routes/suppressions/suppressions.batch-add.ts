import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { addSuppressionsAudited } from "../../services/suppressions/add-suppressions.ts";
import { serviceContext } from "../service-context.ts";
import { BatchAddedSuppressionsSchema, BatchAddSuppressionsSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/suppressions/batch/add",
  operationId: "batchAddSuppressions",
  tags: ["Suppressions"],
  summary: "Suppress up to 100 addresses",
  description: "Adds 1 to 100 addresses in one transaction; the answer is in the order given.",
  ...requires("suppressions:write"),
  request: {
    body: {
      required: true,
      content: { "application/json": { schema: BatchAddSuppressionsSchema } },
    },
  },
  responses: {
    200: {
      description: "The suppressions.",
      content: { "application/json": { schema: BatchAddedSuppressionsSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error"),
  },
});

export const registerSuppressionsBatchAdd = (app: App) =>
  app.openapi(route, async (c) => {
    const ctx = serviceContext(c);
    const data = await addSuppressionsAudited({
      ctx,
      entries: c.req.valid("json").emails.map((email) => ({
        email,
        origin: "manual" as const,
        details: { api_key_id: ctx.apiKeyId },
      })),
    });
    return c.json({ data }, 200);
  });
