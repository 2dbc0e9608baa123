import type { Context } from "hono";
import type { AppEnv } from "./app-env.ts";
import { textStream } from "./text-stream.ts";

/** A client that takes nothing for this long is dropped, releasing the export's connection. */
const STALL_MS = 60_000;

export type ExportFormat = "ndjson" | "csv";

interface Rendering<Row> {
  contentType: string;
  header: string;
  line: (row: Row) => string;
}

/** NDJSON lines of `view(row)`, or CSV under `csvHeader`: the two formats of every export. */
export function exportFormats<Row>(
  view: (row: Row) => unknown,
  csv: { header: string; line: (row: Row) => string },
): Record<ExportFormat, Rendering<Row>> {
  return {
    ndjson: {
      contentType: "application/x-ndjson; charset=utf-8",
      header: "",
      line: (row) => `${JSON.stringify(view(row))}\n`,
    },
    csv: { contentType: "text/csv; charset=utf-8", header: csv.header, line: csv.line },
  };
}

async function* render<Row>(rows: AsyncGenerator<Row[]>, format: Rendering<Row>) {
  try {
    if (format.header) yield format.header;
    for await (const chunk of rows) yield chunk.map(format.line).join("");
  } finally {
    // Closes the cursor when the client goes away before the end.
    await rows.return(undefined);
  }
}

/**
 * Answers an export: the rows of a database cursor, rendered chunk by chunk as they are read
 * (constant memory, any range), as an attachment `<name>.<format>`.
 */
export function exportResponse<Row>(
  c: Context<AppEnv>,
  input: {
    rows: AsyncGenerator<Row[]>;
    formats: Record<ExportFormat, Rendering<Row>>;
    format: ExportFormat;
    name: string;
  },
): Response {
  const { deps, requestId } = c.var;
  const format = input.formats[input.format];
  const body = textStream(render(input.rows, format), {
    stallMs: STALL_MS,
    onError: (error) =>
      deps.logger.error({ err: error, request_id: requestId }, `${input.name} export failed`),
  });
  return c.body(body, 200, {
    "Content-Type": format.contentType,
    "Content-Disposition": `attachment; filename="${input.name}.${input.format}"`,
    "Cache-Control": "no-store",
  });
}
