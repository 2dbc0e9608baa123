import { EventStream, type EventStreamOptions } from "../core/event-stream.ts";
import type { HttpClient, QueryValue, RequestOptions } from "../core/http.ts";
import { listPages } from "../core/list.ts";
import type { PagePromise, PaginationOptions } from "../core/pagination.ts";
import { EventExport } from "../core/record-export.ts";
import type { ApiResponse } from "../core/response.ts";
import type { EmailEvent, EmailEventType } from "../types.ts";

/** The filters GET /events and its export share. */
export interface EventFilters {
  /** One type or several. */
  type?: EmailEventType | EmailEventType[];
  emailId?: string;
  /** Only the events of emails sent with this tag: `"name:value"` or `{ name, value }`. */
  tag?: string | { name: string; value: string };
  domainId?: string;
  /** At or after this time. */
  createdAfter?: string | Date;
  /** Before this time. */
  createdBefore?: string | Date;
}

export type ListEventsOptions = PaginationOptions & EventFilters;

export interface ExportEventsOptions<Format extends "ndjson" | "csv"> extends EventFilters {
  /** `ndjson` (default): iterate parsed events. `csv`: read `body` or iterate its lines. */
  format?: Format;
}

export interface StreamEventsOptions extends EventStreamOptions {
  /** On the first connection: start after this event id (as `Last-Event-ID` would). */
  after?: string;
}

export class Events {
  private readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
  }

  /** Email events, newest first, with the given filters. */
  list(
    { limit, after, before, ...filters }: ListEventsOptions = {},
    options?: RequestOptions,
  ): PagePromise<EmailEvent> {
    const pagination = (after ? { limit, after } : { limit, before }) as PaginationOptions;
    return listPages(this.http, { path: "/events" }, pagination, filterQuery(filters), options);
  }

  /**
   * Every matching event, oldest first, in one streamed response (any size, constant memory).
   * `timeout` bounds the wait for the response to start, not its length.
   */
  export(
    filters?: ExportEventsOptions<"ndjson">,
    options?: RequestOptions,
  ): Promise<ApiResponse<EventExport<"ndjson">>>;
  export(
    filters: ExportEventsOptions<"csv"> & { format: "csv" },
    options?: RequestOptions,
  ): Promise<ApiResponse<EventExport<"csv">>>;
  /** A format known only at run time: the records are parsed for `ndjson` only. */
  export(
    filters: ExportEventsOptions<"ndjson" | "csv">,
    options?: RequestOptions,
  ): Promise<ApiResponse<EventExport<"ndjson" | "csv">>>;
  async export(
    { format = "ndjson", ...filters }: ExportEventsOptions<"ndjson" | "csv"> = {},
    options?: RequestOptions,
  ): Promise<ApiResponse<EventExport<"ndjson" | "csv">>> {
    const response = await this.http.stream(
      {
        method: "GET",
        path: "/events/export",
        query: { format, ...filterQuery(filters) },
        accept: format === "csv" ? "text/csv" : "application/x-ndjson",
        replaySafe: true,
      },
      options,
    );
    if (response.error) return response;
    return { ...response, data: new EventExport(format, response.data) };
  }

  /**
   * The organization's events as they happen (Server-Sent Events), resuming by itself after a
   * dropped connection. Resolves once the server accepted the stream (or with its error).
   */
  stream(
    { after, ...streamOptions }: StreamEventsOptions = {},
    options: RequestOptions = {},
  ): Promise<ApiResponse<EventStream>> {
    const signal = streamOptions.signal ?? options.signal;
    return EventStream.open(
      (lastEventId, connectionSignal) =>
        this.http.stream(
          {
            method: "GET",
            path: "/events/stream",
            query: { after: lastEventId === undefined ? after : undefined },
            headers: lastEventId === undefined ? {} : { "last-event-id": lastEventId },
            accept: "text/event-stream",
            replaySafe: true,
          },
          { ...options, signal: connectionSignal },
        ),
      { ...streamOptions, signal },
    );
  }
}

function filterQuery(filters: EventFilters): Record<string, QueryValue> {
  const { tag } = filters;
  return {
    type: filters.type,
    email_id: filters.emailId,
    tag: typeof tag === "object" ? `${tag.name}:${tag.value}` : tag,
    domain_id: filters.domainId,
    created_after: filters.createdAfter,
    created_before: filters.createdBefore,
  };
}
