import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { textStream } from "../../lib/text-stream.ts";
import type { EmailEventRow } from "../../services/events/email-event-rows.ts";
import {
  EVENT_CSV_COLUMNS,
  EVENT_CSV_HEADER,
  eventCsvLine,
  eventListItem,
} from "../../services/events/event-view.ts";
import { exportEvents } from "../../services/events/export-events.ts";
import { ExportEventsQuerySchema, eventFilter } from "./schema.ts";

/** A client that takes nothing for this long is dropped, releasing the export's connection. */
const STALL_MS = 60_000;

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

const FORMATS = {
  ndjson: {
    contentType: "application/x-ndjson; charset=utf-8",
    header: "",
    line: (row: EmailEventRow) => `${JSON.stringify(eventListItem(row))}\n`,
  },
  csv: { contentType: "text/csv; charset=utf-8", header: EVENT_CSV_HEADER, line: eventCsvLine },
};

async function* render(rows: AsyncGenerator<EmailEventRow[]>, format: (typeof FORMATS)["csv"]) {
  try {
    if (format.header) yield format.header;
    for await (const chunk of rows) yield chunk.map(format.line).join("");
  } finally {
    // Closes the cursor when the client goes away before the end.
    await rows.return(undefined);
  }
}

export const registerEventsExport = (app: App) =>
  app.openapi(route, (c) => {
    const query = c.req.valid("query");
    const { deps, principal, requestId } = c.var;
    const format = FORMATS[query.format];
    const rows = exportEvents({
      ctx: { db: deps.database.db, sql: deps.database.sql, orgId: principal.orgId },
      filter: eventFilter(query),
    });
    const body = textStream(render(rows, format), {
      stallMs: STALL_MS,
      onError: (error) =>
        deps.logger.error({ err: error, request_id: requestId }, "event export failed"),
    });
    return c.body(body, 200, {
      "Content-Type": format.contentType,
      "Content-Disposition": `attachment; filename="events.${query.format}"`,
      "Cache-Control": "no-store",
    });
  });
