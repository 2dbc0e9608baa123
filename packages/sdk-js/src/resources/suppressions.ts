import type { HttpClient, RequestOptions } from "../core/http.ts";
import { listPages } from "../core/list.ts";
import type { PagePromise, PaginationOptions } from "../core/pagination.ts";
import type { ApiResponse } from "../core/response.ts";
import type { components } from "../generated/openapi.ts";
import type {
  BatchAddedSuppressions,
  BatchRemovedSuppressions,
  RemovedSuppression,
  Suppression,
  SuppressionListEntry,
  SuppressionOrigin,
  SuppressionRef,
} from "../types.ts";

export interface AddSuppressionOptions {
  email: string;
}

export type ListSuppressionsOptions = PaginationOptions & {
  /** Only the suppressions of this origin. */
  origin?: SuppressionOrigin;
};

export interface BatchAddSuppressionsOptions {
  /** 1 to 100 addresses. */
  emails: string[];
}

export type BatchRemoveSuppressionsOptions =
  | { emails: string[]; ids?: never }
  | { ids: string[]; emails?: never };

// Adding or removing the same addresses twice ends in the same state: all replay-safe.
class SuppressionBatch {
  private readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
  }

  add(
    payload: BatchAddSuppressionsOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<BatchAddedSuppressions>> {
    return this.http.json(
      {
        method: "POST",
        path: "/suppressions/batch/add",
        body: {
          emails: payload.emails,
        } satisfies components["schemas"]["BatchAddSuppressionsRequest"],
        replaySafe: true,
      },
      options,
    );
  }

  remove(
    payload: BatchRemoveSuppressionsOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<BatchRemovedSuppressions>> {
    return this.http.json(
      {
        method: "POST",
        path: "/suppressions/batch/remove",
        body: (payload.ids
          ? { ids: payload.ids }
          : {
              emails: payload.emails,
            }) satisfies components["schemas"]["BatchRemoveSuppressionsRequest"],
        replaySafe: true,
      },
      options,
    );
  }
}

export class Suppressions {
  readonly batch: SuppressionBatch;

  private readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
    this.batch = new SuppressionBatch(http);
  }

  /** Suppresses an address; adding one already there answers the existing entry. */
  add(
    payload: AddSuppressionOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<SuppressionRef>> {
    return this.http.json(
      {
        method: "POST",
        path: "/suppressions",
        body: { email: payload.email } satisfies components["schemas"]["AddSuppressionRequest"],
        replaySafe: true,
      },
      options,
    );
  }

  list(
    { origin, ...pagination }: ListSuppressionsOptions = {},
    options?: RequestOptions,
  ): PagePromise<SuppressionListEntry> {
    return listPages(this.http, { path: "/suppressions" }, pagination, { origin }, options);
  }

  /** By the suppression's id or by the suppressed address. */
  get(idOrEmail: string, options?: RequestOptions): Promise<ApiResponse<Suppression>> {
    return this.http.json(
      {
        method: "GET",
        path: "/suppressions/{id_or_email}",
        pathParams: { id_or_email: idOrEmail },
        replaySafe: true,
      },
      options,
    );
  }

  remove(idOrEmail: string, options?: RequestOptions): Promise<ApiResponse<RemovedSuppression>> {
    return this.http.json(
      {
        method: "DELETE",
        path: "/suppressions/{id_or_email}",
        pathParams: { id_or_email: idOrEmail },
        replaySafe: true,
      },
      options,
    );
  }
}
