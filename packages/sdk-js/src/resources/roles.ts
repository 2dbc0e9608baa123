import type { HttpClient, RequestOptions } from "../core/http.ts";
import type { ApiResponse } from "../core/response.ts";
import type { components } from "../generated/openapi.ts";
import type { DeletedRole, Role, RoleList } from "../types.ts";

type Schemas = components["schemas"];

/** A permission a custom role may hold: the catalog's, but `organization:delete` (owners'). */
export type RolePermission = NonNullable<Schemas["CreateRoleRequest"]["permissions"]>[number];

export interface CreateRoleOptions {
  /** What members' `role` names it by: lowercase, unique in the organization, not built-in. */
  name: string;
  description?: string;
  /** Its own permissions, on top of those of the role it extends. Default: none. */
  permissions?: RolePermission[];
  /** A built-in role but owner, or a custom role by id or name: its permissions too. */
  extends?: string;
}

export interface UpdateRoleOptions {
  /** A new name: its members and invitations follow. */
  name?: string;
  /** null removes it. */
  description?: string | null;
  /** Replaces its own permissions. */
  permissions?: RolePermission[];
  /** Another role to extend, or null to extend none. */
  extends?: string | null;
}

/**
 * The roles members can have: the built-in ones and the organization's own (custom roles,
 * permission sets that may extend another role). People only: an API key gets
 * restricted_api_key; reading needs members:read, changes members:manage.
 */
export class Roles {
  private readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
  }

  /** Every role, built-in ones first, with their resolved permissions (not paginated). */
  list(options?: RequestOptions): Promise<ApiResponse<RoleList>> {
    return this.http.json({ method: "GET", path: "/roles", replaySafe: true }, options);
  }

  /** Nobody creates a role granting more than they hold (403 forbidden). */
  create(payload: CreateRoleOptions, options?: RequestOptions): Promise<ApiResponse<Role>> {
    return this.http.json(
      {
        method: "POST",
        path: "/roles",
        body: {
          name: payload.name,
          description: payload.description,
          permissions: payload.permissions,
          extends: payload.extends,
        } satisfies Schemas["CreateRoleRequest"],
        // A retry of a create that went through would answer already_exists for the name.
        replaySafe: false,
      },
      options,
    );
  }

  /** A custom role by id or name, or a built-in role by name. */
  get(idOrName: string, options?: RequestOptions): Promise<ApiResponse<Role>> {
    return this.http.json(
      { method: "GET", path: "/roles/{id}", pathParams: { id: idOrName }, replaySafe: true },
      options,
    );
  }

  /** Changes a custom role; members whose rights change get a new session. */
  update(
    idOrName: string,
    payload: UpdateRoleOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<Role>> {
    return this.http.json(
      {
        method: "PATCH",
        path: "/roles/{id}",
        pathParams: { id: idOrName },
        body: {
          name: payload.name,
          description: payload.description,
          permissions: payload.permissions,
          extends: payload.extends,
        } satisfies Schemas["UpdateRoleRequest"],
        replaySafe: true,
      },
      options,
    );
  }

  /** Deletes a custom role nobody uses (else 409 invalid_state: members, invitations, roles). */
  remove(idOrName: string, options?: RequestOptions): Promise<ApiResponse<DeletedRole>> {
    return this.http.json(
      { method: "DELETE", path: "/roles/{id}", pathParams: { id: idOrName }, replaySafe: true },
      options,
    );
  }
}
