import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { exportFormats, exportResponse } from "../../lib/record-export.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import {
  EVENT_CSV_COLUMNS,
  EVENT_CSV_HEADER,
  eventCsvLine,
  eventListItem,
} from "../../services/events/event-view.ts";
import { exportEvents } from "../../services/events/export-events.ts";
import { ExportEventsQuerySchema, eventFilter } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/events/export",
  operationId: "exportEvents",
  tags: ["Events"],
  summary: "Export email events",
  description: [
    "Every email event matching the filters, oldest first, streamed as NDJSON (one JSON object per line, as GET /events shows each) or CSV (a header row, then one row per event).",
    "The whole range comes in one response, written as it is read from a database cursor: any size, in constant memory.",
    `CSV columns: ${EVENT_CSV_COLUMNS.join(", ")}; \`to\`, \`tags\` and \`recipients\` are JSON, and \`details\` is a JSON object with what the event type adds (\`bounce\`, \`click\`, \`failed\`, ...).`,
    "A response cut short (the connection closes before the end of the chunked body) is incomplete: export again from the last `created_at` received.",
  ].join(" "),
  ...requires("events:read"),
  request: { query: ExportEventsQuerySchema },
  responses: {
    200: {
      description: "The events, as they are read.",
      content: {
        "application/x-ndjson": {
          schema: z.string().openapi({
            example:
              '{"object":"event","id":"019ad4c2-8f31-7a02-b6c4-1d2e3f4a5b6c","type":"email.delivered","created_at":"2026-11-30T10:00:02.481Z","email_id":"019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47","data":{...}}\n',
          }),
        },
        "text/csv": {
          schema: z.string().openapi({
            example: `${EVENT_CSV_HEADER}019ad4c2-8f31-7a02-b6c4-1d2e3f4a5b6c,email.delivered,2026-11-30T10:00:02.481Z,019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47,<019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47@acme.dev>,Acme <onboarding@acme.dev>,"[""delivered@example.com""]",Welcome to Acme,"{""category"":""welcome""}","[""delivered@example.com""]",\r\n`,
          }),
        },
      },
    },
    ...errorResponses("restricted_api_key", "validation_error"),
  },
});

const FORMATS = exportFormats(eventListItem, { header: EVENT_CSV_HEADER, line: eventCsvLine });

export const registerEventsExport = (app: App) =>
  app.openapi(route, (c) => {
    const query = c.req.valid("query");
    const { deps, principal } = c.var;
    const rows = exportEvents({
      ctx: { db: deps.database.db, sql: deps.database.sql, orgId: principal.orgId },
      filter: eventFilter(query),
    });
    return exportResponse(c, {
      rows,
      formats: FORMATS,
      format: query.format,
      name: "events",
    });
  });
