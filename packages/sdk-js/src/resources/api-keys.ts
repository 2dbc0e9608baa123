import type { HttpClient, RequestOptions } from "../core/http.ts";
import { listPages } from "../core/list.ts";
import type { PagePromise, PaginationOptions } from "../core/pagination.ts";
import type { ApiResponse } from "../core/response.ts";
import type { components } from "../generated/openapi.ts";
import type { ApiKey, CreatedApiKey, DeletedApiKey, RotatedApiKey } from "../types.ts";

export interface CreateApiKeyOptions {
  name: string;
  /** `full_access` (default) or `sending_access` (may only send). Not with `permissions`. */
  permission?: "full_access" | "sending_access";
  /** Instead of `permission`: exactly these permissions (never more than the caller's own). */
  permissions?: NonNullable<components["schemas"]["CreateApiKeyRequest"]["permissions"]>;
  /** Limits a `sending_access` key to one domain. */
  domainId?: string;
  /** When the key stops working; never when absent. */
  expiresAt?: string | Date;
  /** The client addresses (CIDRs or single IPv4/IPv6 addresses) the key may be used from. */
  allowedIps?: string[];
}

export interface RotateApiKeyOptions {
  /** How long the old key keeps working: 0 to 2,592,000 seconds (default 86,400). */
  gracePeriodSeconds?: number;
  /** When the new key stops working; never when absent. */
  expiresAt?: string | Date;
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
          permissions: payload.permissions,
          domain_id: payload.domainId,
          expires_at: isoTime(payload.expiresAt),
          allowed_ips: payload.allowedIps,
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

  /**
   * A new key with the same name, permission, domain and allowed IPs (its `token` is shown in
   * this answer only); the old one keeps working for the grace period, then stops.
   */
  rotate(
    id: string,
    payload: RotateApiKeyOptions = {},
    options?: RequestOptions,
  ): Promise<ApiResponse<RotatedApiKey>> {
    const body = {
      grace_period_seconds: payload.gracePeriodSeconds,
      expires_at: isoTime(payload.expiresAt),
    } satisfies components["schemas"]["RotateApiKeyRequest"];
    return this.http.json(
      {
        method: "POST",
        path: "/api-keys/{id}/rotate",
        pathParams: { id },
        body,
        // A key rotates once: a retry after a lost answer would be refused, its token lost.
        replaySafe: false,
      },
      options,
    );
  }

  /** Revokes a key. */
  remove(id: string, options?: RequestOptions): Promise<ApiResponse<DeletedApiKey>> {
    return this.http.json(
      { method: "DELETE", path: "/api-keys/{id}", pathParams: { id }, replaySafe: true },
      options,
    );
  }
}

function isoTime(time: string | Date | undefined): string | undefined {
  return time instanceof Date ? time.toISOString() : time;
}
