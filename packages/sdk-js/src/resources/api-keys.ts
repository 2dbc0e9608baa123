import type { HttpClient, RequestOptions } from "../core/http.ts";
import { listPages } from "../core/list.ts";
import type { PagePromise, PaginationOptions } from "../core/pagination.ts";
import type { ApiResponse } from "../core/response.ts";
import type { components } from "../generated/openapi.ts";
import type { ApiKey, CreatedApiKey, DeletedApiKey } from "../types.ts";

export interface CreateApiKeyOptions {
  name: string;
  /** `full_access` (default) or `sending_access` (may only send). */
  permission?: "full_access" | "sending_access";
  /** Limits a `sending_access` key to one domain. */
  domainId?: string;
}

export type ListApiKeysOptions = PaginationOptions;

export class ApiKeys {
  private readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
  }

  /** Creates a key; its `token` is shown in this answer only. */
  create(
    payload: CreateApiKeyOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<CreatedApiKey>> {
    return this.http.json(
      {
        method: "POST",
        path: "/api-keys",
        body: {
          name: payload.name,
          permission: payload.permission,
          domain_id: payload.domainId,
        } satisfies components["schemas"]["CreateApiKeyRequest"],
        // A retry after a lost answer would make a second key.
        replaySafe: false,
      },
      options,
    );
  }

  list(pagination: ListApiKeysOptions = {}, options?: RequestOptions): PagePromise<ApiKey> {
    return listPages(this.http, { path: "/api-keys" }, pagination, {}, options);
  }

  /** Revokes a key. */
  remove(id: string, options?: RequestOptions): Promise<ApiResponse<DeletedApiKey>> {
    return this.http.json(
      { method: "DELETE", path: "/api-keys/{id}", pathParams: { id }, replaySafe: true },
      options,
    );
  }
}
