import { createRoute, z } from "@hono/zod-openapi";
import { migrationState } from "../../db/status.ts";
import type { App } from "../../lib/app-env.ts";

const ReadySchema = z
  .object({
    status: z.enum(["ready", "not_ready"]),
    database: z.enum(["reachable", "unreachable"]),
    migrations: z.enum(["applied", "pending", "unknown"]),
  })
  .openapi("Readiness");

export const route = createRoute({
  method: "get",
  path: "/ready",
  operationId: "getReadiness",
  tags: ["System"],
  summary: "Readiness",
  description:
    "Ready when the database is reachable and its migrations are applied. Needs no API key.",
  responses: {
    200: {
      description: "Ready to serve.",
      content: { "application/json": { schema: ReadySchema } },
    },
    503: { description: "Not ready.", content: { "application/json": { schema: ReadySchema } } },
  },
});

export const registerReady = (app: App) =>
  app.openapi(route, async (c) => {
    let migrations: "applied" | "pending";
    try {
      migrations = await migrationState(c.var.deps.database.sql);
    } catch {
      return c.json(
        {
          status: "not_ready" as const,
          database: "unreachable" as const,
          migrations: "unknown" as const,
        },
        503,
      );
    }
    const ready = migrations === "applied";
    return c.json(
      {
        status: ready ? ("ready" as const) : ("not_ready" as const),
        database: "reachable" as const,
        migrations,
      },
      ready ? 200 : 503,
    );
  });
