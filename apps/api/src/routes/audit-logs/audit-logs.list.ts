import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { listAuditLogs } from "../../services/audit/audit-log-rows.ts";
import { AuditLogListSchema, auditLogFilter, ListAuditLogsQuerySchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/audit-logs",
  operationId: "listAuditLogs",
  tags: ["Audit logs"],
  summary: "List audit log entries",
  description:
    "Every change made to the organization (API keys, domains, suppressions, webhooks, providers, sending, email cancellations and reschedules; not the sends themselves, which have their own events) and every security event, newest first, with who did it, from where and in which request. Filter by action, actor, target and time.",
  ...requires("audit:read"),
  request: { query: ListAuditLogsQuerySchema },
  responses: {
    200: {
      description: "A page of entries.",
      content: { "application/json": { schema: AuditLogListSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error"),
  },
});

export const registerAuditLogsList = (app: App) =>
  app.openapi(route, async (c) => {
    const query = c.req.valid("query");
    const { deps, principal } = c.var;
    const page = await listAuditLogs({
      ctx: { db: deps.database.db, orgId: principal.orgId },
      filter: auditLogFilter(query),
      page: query,
    });
    return c.json(page, 200);
  });
