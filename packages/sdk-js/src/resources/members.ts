import type { HttpClient, RequestOptions } from "../core/http.ts";
import { listPages } from "../core/list.ts";
import type { PagePromise, PaginationOptions } from "../core/pagination.ts";
import type { ApiResponse } from "../core/response.ts";
import type { components } from "../generated/openapi.ts";
import type { DeletedMember, Member } from "../types.ts";

/**
 * A built-in role (owner, admin, developer, analyst, billing) or the name of one of the
 * organization's custom roles (`roles.list()`).
 */
export type MemberRole = components["schemas"]["UpdateMemberRequest"]["role"];

export type ListMembersOptions = PaginationOptions;

export interface UpdateMemberOptions {
  role: MemberRole;
}

/** The people of the session's organization. People only: an API key gets restricted_api_key. */
export class Members {
  private readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
  }

  list(pagination: ListMembersOptions = {}, options?: RequestOptions): PagePromise<Member> {
    return listPages(this.http, { path: "/members" }, pagination, {}, options);
  }

  /** The caller leaves the organization (its last owner cannot: hand it over first). */
  leave(options?: RequestOptions): Promise<ApiResponse<DeletedMember>> {
    return this.http.json({ method: "POST", path: "/members/leave", replaySafe: false }, options);
  }

  /** Changes a member's role; only owners make or unmake owners. */
  update(
    id: string,
    payload: UpdateMemberOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<Member>> {
    return this.http.json(
      {
        method: "PATCH",
        path: "/members/{id}",
        pathParams: { id },
        body: { role: payload.role } satisfies components["schemas"]["UpdateMemberRequest"],
        replaySafe: true,
      },
      options,
    );
  }

  /** Removes a member; their sessions lose the organization at once. */
  remove(id: string, options?: RequestOptions): Promise<ApiResponse<DeletedMember>> {
    return this.http.json(
      { method: "DELETE", path: "/members/{id}", pathParams: { id }, replaySafe: true },
      options,
    );
  }
}
