import type { HttpClient, QueryValue, RequestOptions } from "../core/http.ts";
import { listPages } from "../core/list.ts";
import type { PagePromise, PaginationOptions } from "../core/pagination.ts";
import { AuditLogExport } from "../core/record-export.ts";
import type { ApiResponse } from "../core/response.ts";
import type { AuditLog } from "../types.ts";

/** Who acted: an API key, a person, or the system (jobs, retention). */
export type AuditActorType = AuditLog["actor"]["type"];

/** The filters GET /audit-logs and its export share. */
export interface AuditLogFilters {
  /** One action (`api_key.created`), or every action of a kind (`api_key.*`). */
  action?: string;
  actorType?: AuditActorType;
  /** Only what this API key or user did. */
  actorId?: string;
  /** Only entries about objects of this type (`domain`). */
  targetType?: string;
  /** Only entries about this object. */
  targetId?: string;
  /** At or after this time. */
  createdAfter?: string | Date;
  /** Before this time. */
  createdBefore?: string | Date;
}

export type ListAuditLogsOptions = PaginationOptions & AuditLogFilters;

export interface ExportAuditLogsOptions<Format extends "ndjson" | "csv"> extends AuditLogFilters {
  /** `ndjson` (default): iterate parsed entries. `csv`: read `body` or iterate its lines. */
  format?: Format;
}

/**
 * What happened in the organization and who did it (keys, people, the system): append-only.
 * Needs `audit:read` (full-access keys, owners and admins).
 */
export class AuditLogs {
  private readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
  }

  /** Entries, newest first, with the given filters. */
  list(
    { limit, after, before, ...filters }: ListAuditLogsOptions = {},
    options?: RequestOptions,
  ): PagePromise<AuditLog> {
    const pagination = (after ? { limit, after } : { limit, before }) as PaginationOptions;
    return listPages(this.http, { path: "/audit-logs" }, pagination, filterQuery(filters), options);
  }

  /**
   * Every matching entry, oldest first, in one streamed response (any range, constant
   * memory). `timeout` bounds the wait for the response to start, not its length.
   */
  export(
    filters?: ExportAuditLogsOptions<"ndjson">,
    options?: RequestOptions,
  ): Promise<ApiResponse<AuditLogExport<"ndjson">>>;
  export(
    filters: ExportAuditLogsOptions<"csv"> & { format: "csv" },
    options?: RequestOptions,
  ): Promise<ApiResponse<AuditLogExport<"csv">>>;
  /** A format known only at run time: the records are parsed for `ndjson` only. */
  export(
    filters: ExportAuditLogsOptions<"ndjson" | "csv">,
    options?: RequestOptions,
  ): Promise<ApiResponse<AuditLogExport<"ndjson" | "csv">>>;
  async export(
    { format = "ndjson", ...filters }: ExportAuditLogsOptions<"ndjson" | "csv"> = {},
    options?: RequestOptions,
  ): Promise<ApiResponse<AuditLogExport<"ndjson" | "csv">>> {
    const response = await this.http.stream(
      {
        method: "GET",
        path: "/audit-logs/export",
        query: { format, ...filterQuery(filters) },
        accept: format === "csv" ? "text/csv" : "application/x-ndjson",
        replaySafe: true,
      },
      options,
    );
    if (response.error) return response;
    return { ...response, data: new AuditLogExport(format, response.data) };
  }
}

function filterQuery(filters: AuditLogFilters): Record<string, QueryValue> {
  return {
    action: filters.action,
    actor_type: filters.actorType,
    actor_id: filters.actorId,
    target_type: filters.targetType,
    target_id: filters.targetId,
    created_after: filters.createdAfter,
    created_before: filters.createdBefore,
  };
}
