import type { AuditLog, EmailEvent } from "../types.ts";
import { readLines } from "./lines.ts";
import { ThriveSendError } from "./response.ts";

/**
 * An export's body (GET /events/export, GET /audit-logs/export). It is written as the server
 * reads its cursor, so it is read as it comes: `for await` the records (NDJSON), or take the
 * raw `body` (CSV, or to pipe it somewhere). A response cut short throws a ThriveSendError
 * (`connection_error`): export again from the last `created_at` received.
 */
export class RecordExport<Row, Format extends "ndjson" | "csv" = "ndjson">
  implements AsyncIterable<Format extends "ndjson" ? Row : string>
{
  readonly format: Format;
  private readonly response: Response;

  constructor(format: Format, response: Response) {
    this.format = format;
    this.response = response;
  }

  /** The raw bytes; it can be read once, by this or by the iterator. */
  get body(): ReadableStream<Uint8Array> {
    if (!this.response.body) throw new Error("the export has no body");
    return this.response.body;
  }

  /** The whole export as text (it may be large: prefer iterating). */
  text(): Promise<string> {
    return this.response.text();
  }

  /** Each record (NDJSON: parsed) or each line (CSV, its header first), as it arrives. */
  async *[Symbol.asyncIterator](): AsyncIterator<Format extends "ndjson" ? Row : string> {
    try {
      for await (const line of readLines(this.body)) {
        if (line === "") continue;
        yield (this.format === "ndjson" ? parseRecord(line) : line) as Format extends "ndjson"
          ? Row
          : string;
      }
    } catch (cause) {
      if (cause instanceof ThriveSendError) throw cause;
      throw cutShort(cause);
    }
  }
}

/** GET /events/export's body: email events. */
export class EventExport<Format extends "ndjson" | "csv" = "ndjson"> extends RecordExport<
  EmailEvent,
  Format
> {}

/** GET /audit-logs/export's body: audit log entries. */
export class AuditLogExport<Format extends "ndjson" | "csv" = "ndjson"> extends RecordExport<
  AuditLog,
  Format
> {}

function parseRecord(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (cause) {
    // A line that does not parse is the last one, cut in the middle.
    throw cutShort(cause);
  }
}

function cutShort(cause: unknown): ThriveSendError {
  const reason = cause instanceof Error ? ` (${cause.message})` : "";
  return new ThriveSendError({
    name: "connection_error",
    statusCode: null,
    message: `The export was cut short${reason}: export again from the last created_at received.`,
  });
}
