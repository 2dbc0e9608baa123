import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { getReputation } from "../../services/reputation/get-reputation.ts";
import { serviceContext } from "../service-context.ts";
import { ReputationQuerySchema, ReputationSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/reputation",
  operationId: "getReputation",
  tags: ["Reputation"],
  summary: "Retrieve sending reputation",
  description:
    "Bounce and complaint rates of the organization and of each of its domains over the rolling window, the thresholds past which sending pauses itself, and what is paused. Counters are updated every minute.",
  ...requires("reputation:read"),
  request: { query: ReputationQuerySchema },
  responses: {
    200: {
      description: "The rates and pauses.",
      content: { "application/json": { schema: ReputationSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found"),
  },
});

export const registerReputationGet = (app: App) =>
  app.openapi(route, async (c) => {
    const { domain_id: domainId } = c.req.valid("query");
    const reputation = await getReputation({
      ctx: serviceContext(c),
      settings: c.var.deps.config.reputation,
      domainId,
    });
    return c.json(reputation, 200);
  });
