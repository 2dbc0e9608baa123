import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";

const HealthSchema = z.object({ status: z.literal("ok") }).openapi("Health");

export const route = createRoute({
  method: "get",
  path: "/health",
  operationId: "getHealth",
  tags: ["System"],
  summary: "Liveness",
  description: "Answers while the process is alive. Needs no API key.",
  responses: {
    200: {
      description: "The process is alive.",
      content: { "application/json": { schema: HealthSchema } },
    },
  },
});

export const registerHealth = (app: App) =>
  app.openapi(route, (c) => c.json({ status: "ok" as const }, 200));
