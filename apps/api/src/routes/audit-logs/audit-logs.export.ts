import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { exportFormats, exportResponse } from "../../lib/record-export.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import {
  AUDIT_CSV_COLUMNS,
  AUDIT_CSV_HEADER,
  auditCsvLine,
  auditLogView,
  exportAuditLogs,
} from "../../services/audit/audit-log-rows.ts";
import { auditLogFilter, ExportAuditLogsQuerySchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/audit-logs/export",
  operationId: "exportAuditLogs",
  tags: ["Audit logs"],
  summary: "Export audit log entries",
  description: [
    "Every audit entry matching the filters, oldest first, streamed as NDJSON (one JSON object per line, as GET /audit-logs shows each) or CSV (a header row, then one row per entry), read from a database cursor: any range, in constant memory.",
    `CSV columns: ${AUDIT_CSV_COLUMNS.join(", ")}; \`details\` is JSON.`,
    "A response cut short (the connection closes before the end of the chunked body) is incomplete: export again from the last `created_at` received.",
  ].join(" "),
  ...requires("audit:read"),
  request: { query: ExportAuditLogsQuerySchema },
  responses: {
    200: {
      description: "The entries, as they are read.",
      content: {
        "application/x-ndjson": {
          schema: z.string().openapi({
            example:
              '{"object":"audit_log","id":"019ad4c2-8f31-7a02-b6c4-1d2e3f4a5b6c","action":"api_key.created",...}\n',
          }),
        },
        "text/csv": {
          schema: z.string().openapi({
            example: `${AUDIT_CSV_HEADER}019ad4c2-8f31-7a02-b6c4-1d2e3f4a5b6c,2026-11-30T10:00:02.481Z,api_key.created,api_key,019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e,api_key,019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47,203.0.113.7,curl/8.5.0,019ad4c2-8f30-7c11-9e2d-0a1b2c3d4e5f,"{""name"":""Production""}"\r\n`,
          }),
        },
      },
    },
    ...errorResponses("restricted_api_key", "validation_error"),
  },
});

const FORMATS = exportFormats(auditLogView, { header: AUDIT_CSV_HEADER, line: auditCsvLine });

export const registerAuditLogsExport = (app: App) =>
  app.openapi(route, (c) => {
    const query = c.req.valid("query");
    const { deps, principal } = c.var;
    const rows = exportAuditLogs({
      ctx: { db: deps.database.db, sql: deps.database.sql, orgId: principal.orgId },
      filter: auditLogFilter(query),
    });
    return exportResponse(c, {
      rows,
      formats: FORMATS,
      format: query.format,
      name: "audit-logs",
    });
  });
