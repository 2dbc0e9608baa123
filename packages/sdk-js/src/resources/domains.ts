import type { HttpClient, RequestOptions } from "../core/http.ts";
import { listPages } from "../core/list.ts";
import type { PagePromise, PaginationOptions } from "../core/pagination.ts";
import type { ApiResponse } from "../core/response.ts";
import type { components } from "../generated/openapi.ts";
import type {
  CreatedDomain,
  DeletedDomain,
  Domain,
  DomainListItem,
  DomainRef,
  DomainRegion,
} from "../types.ts";

type DomainCapabilities = components["schemas"]["DomainCapabilities"];

export interface CreateDomainOptions {
  /** The domain to send from, e.g. `acme.dev`. */
  name: string;
  region?: DomainRegion;
  /** The bounce subdomain (default `send`). */
  customReturnPath?: string;
  /** The open/click tracking subdomain (default `links`). */
  trackingSubdomain?: string;
  capabilities?: DomainCapabilities;
  openTracking?: boolean;
  clickTracking?: boolean;
  tls?: "opportunistic" | "enforced";
}

export interface UpdateDomainOptions {
  id: string;
  openTracking?: boolean;
  clickTracking?: boolean;
  tls?: "opportunistic" | "enforced";
  trackingSubdomain?: string;
  capabilities?: DomainCapabilities;
}

export type ListDomainsOptions = PaginationOptions;

export class Domains {
  private readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
  }

  /** Adds a domain with a fresh DKIM key; the answer has the DNS records to publish. */
  create(
    payload: CreateDomainOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<CreatedDomain>> {
    return this.http.json(
      {
        method: "POST",
        path: "/domains",
        body: {
          name: payload.name,
          region: payload.region,
          custom_return_path: payload.customReturnPath,
          tracking_subdomain: payload.trackingSubdomain,
          capabilities: payload.capabilities,
          open_tracking: payload.openTracking,
          click_tracking: payload.clickTracking,
          tls: payload.tls,
        } satisfies components["schemas"]["CreateDomainRequest"],
        replaySafe: false,
      },
      options,
    );
  }

  list(pagination: ListDomainsOptions = {}, options?: RequestOptions): PagePromise<DomainListItem> {
    return listPages(this.http, { path: "/domains" }, pagination, {}, options);
  }

  get(id: string, options?: RequestOptions): Promise<ApiResponse<Domain>> {
    return this.http.json(
      { method: "GET", path: "/domains/{id}", pathParams: { id }, replaySafe: true },
      options,
    );
  }

  /** Changes tracking, TLS or capabilities (Resend's shape: the id in the payload). */
  update(
    { id, ...changes }: UpdateDomainOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<DomainRef>> {
    return this.http.json(
      {
        method: "PATCH",
        path: "/domains/{id}",
        pathParams: { id },
        body: {
          open_tracking: changes.openTracking,
          click_tracking: changes.clickTracking,
          tls: changes.tls,
          tracking_subdomain: changes.trackingSubdomain,
          capabilities: changes.capabilities,
        } satisfies components["schemas"]["UpdateDomainRequest"],
        replaySafe: true,
      },
      options,
    );
  }

  remove(id: string, options?: RequestOptions): Promise<ApiResponse<DeletedDomain>> {
    return this.http.json(
      { method: "DELETE", path: "/domains/{id}", pathParams: { id }, replaySafe: true },
      options,
    );
  }

  /** Starts a check of the DNS records; `get` shows the outcome within seconds. */
  verify(id: string, options?: RequestOptions): Promise<ApiResponse<DomainRef>> {
    return this.http.json(
      { method: "POST", path: "/domains/{id}/verify", pathParams: { id }, replaySafe: true },
      options,
    );
  }
}
