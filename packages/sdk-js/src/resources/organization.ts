import type { HttpClient, RequestOptions } from "../core/http.ts";
import type { ApiResponse } from "../core/response.ts";
import type { components } from "../generated/openapi.ts";
import type {
  DeletedOidcConnection,
  DeletedOrganization,
  Member,
  OidcConnection,
  Organization as OrganizationData,
} from "../types.ts";

type Schemas = components["schemas"];

export interface UpdateOrganizationOptions {
  name?: string;
  /** The `from` of emails sent without one; null removes it. */
  defaultFrom?: string | null;
  defaultOpenTracking?: boolean;
  defaultClickTracking?: boolean;
  /** Days emails and events are kept; null: the server's default. */
  dataRetentionDays?: number | null;
}

export interface TransferOwnershipOptions {
  /** The member (not the user) who becomes an owner; the caller becomes an admin. */
  memberId: string;
}

/** The role new members arriving through single sign-on get (never `owner`). */
export type OidcDefaultRole = "admin" | "developer" | "analyst" | "billing";

export interface CreateOidcConnectionOptions {
  /** The provider's issuer URL (it must answer OpenID Connect discovery). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The email domains whose people may sign in (and join on their first sign-in). */
  allowedDomains: string[];
  defaultRole: OidcDefaultRole;
  enabled?: boolean;
}

export type UpdateOidcConnectionOptions = Partial<CreateOidcConnectionOptions>;

function connectionBody(payload: UpdateOidcConnectionOptions) {
  return {
    issuer: payload.issuer,
    client_id: payload.clientId,
    client_secret: payload.clientSecret,
    allowed_domains: payload.allowedDomains,
    default_role: payload.defaultRole,
    enabled: payload.enabled,
  } satisfies Schemas["UpdateOidcConnectionRequest"];
}

/** The organization's single sign-on connection (one at most). */
class OidcConnections {
  private readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
  }

  /** Checks the provider (discovery) and connects it; its secret is stored encrypted. */
  create(
    payload: CreateOidcConnectionOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<OidcConnection>> {
    return this.http.json(
      {
        method: "POST",
        path: "/organization/oidc",
        body: {
          issuer: payload.issuer,
          client_id: payload.clientId,
          client_secret: payload.clientSecret,
          allowed_domains: payload.allowedDomains,
          default_role: payload.defaultRole,
          enabled: payload.enabled,
        } satisfies Schemas["CreateOidcConnectionRequest"],
        // A second attempt would find the connection made: 409 already_exists.
        replaySafe: false,
      },
      options,
    );
  }

  /** The connection, with the URL people sign in at (never its secret). */
  get(options?: RequestOptions): Promise<ApiResponse<OidcConnection>> {
    return this.http.json({ method: "GET", path: "/organization/oidc", replaySafe: true }, options);
  }

  update(
    payload: UpdateOidcConnectionOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<OidcConnection>> {
    return this.http.json(
      {
        method: "PATCH",
        path: "/organization/oidc",
        body: connectionBody(payload),
        replaySafe: true,
      },
      options,
    );
  }

  remove(options?: RequestOptions): Promise<ApiResponse<DeletedOidcConnection>> {
    return this.http.json(
      { method: "DELETE", path: "/organization/oidc", replaySafe: true },
      options,
    );
  }
}

/**
 * The organization of the session: its settings, its ownership, its deletion and its single
 * sign-on. People only: an API key gets `restricted_api_key`.
 */
export class Organization {
  readonly oidc: OidcConnections;
  private readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
    this.oidc = new OidcConnections(http);
  }

  get(options?: RequestOptions): Promise<ApiResponse<OrganizationData>> {
    return this.http.json({ method: "GET", path: "/organization", replaySafe: true }, options);
  }

  update(
    payload: UpdateOrganizationOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<OrganizationData>> {
    return this.http.json(
      {
        method: "PATCH",
        path: "/organization",
        body: {
          name: payload.name,
          default_from: payload.defaultFrom,
          default_open_tracking: payload.defaultOpenTracking,
          default_click_tracking: payload.defaultClickTracking,
          data_retention_days: payload.dataRetentionDays,
        } satisfies Schemas["UpdateOrganizationRequest"],
        replaySafe: true,
      },
      options,
    );
  }

  /**
   * Deletes the organization (owners only): it stops at once, and its data is purged in the
   * background.
   */
  remove(options?: RequestOptions): Promise<ApiResponse<DeletedOrganization>> {
    return this.http.json({ method: "DELETE", path: "/organization", replaySafe: true }, options);
  }

  /** Makes a member an owner, and the caller (an owner) an admin. */
  transferOwnership(
    payload: TransferOwnershipOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<Member>> {
    return this.http.json(
      {
        method: "POST",
        path: "/organization/transfer-ownership",
        body: { member_id: payload.memberId } satisfies Schemas["TransferOwnershipRequest"],
        // Ends in the same state when done twice.
        replaySafe: true,
      },
      options,
    );
  }
}
