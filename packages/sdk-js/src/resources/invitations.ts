import type { HttpClient, RequestOptions } from "../core/http.ts";
import { listPages } from "../core/list.ts";
import type { PagePromise, PaginationOptions } from "../core/pagination.ts";
import type { ApiResponse } from "../core/response.ts";
import type { SessionCookies } from "../core/session.ts";
import type { components } from "../generated/openapi.ts";
import type { DeletedInvitation, Invitation, Session } from "../types.ts";
import type { MemberRole } from "./members.ts";

export interface CreateInvitationOptions {
  email: string;
  role: MemberRole;
}

export interface AcceptInvitationOptions {
  /** The token of the emailed link. */
  token: string;
  /** Signed out, for the account the invitation creates: the person's name... */
  name?: string;
  /** ...and password. Signed in, neither: the invitation must be for the session's address. */
  password?: string;
}

export type ListInvitationsOptions = PaginationOptions;

/** Invitations to the session's organization, by email. */
export class Invitations {
  private readonly http: HttpClient;
  private readonly session: SessionCookies | undefined;

  constructor(http: HttpClient, session: SessionCookies | undefined) {
    this.http = http;
    this.session = session;
  }

  /**
   * Accepts an invitation from its emailed link, and answers the session in the organization
   * (a person's client keeps it): signed in, the session's; signed out, a new account's.
   */
  async accept(
    payload: AcceptInvitationOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<Session>> {
    const answer = await this.http.json<Session>(
      {
        method: "POST",
        path: "/invitations/accept",
        body: {
          token: payload.token,
          name: payload.name,
          password: payload.password,
        } satisfies components["schemas"]["AcceptInvitationRequest"],
        // The link works once.
        replaySafe: false,
      },
      options,
    );
    if (answer.data) this.session?.rememberCsrfToken(answer.data.csrf_token);
    return answer;
  }

  /** Emails an invitation (replacing a pending one to the same address). */
  create(
    payload: CreateInvitationOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<Invitation>> {
    return this.http.json(
      {
        method: "POST",
        path: "/invitations",
        body: {
          email: payload.email,
          role: payload.role,
        } satisfies components["schemas"]["CreateInvitationRequest"],
        // A retry would email a second link and void the first.
        replaySafe: false,
      },
      options,
    );
  }

  /** The invitations still waiting for an answer, newest first. */
  list(pagination: ListInvitationsOptions = {}, options?: RequestOptions): PagePromise<Invitation> {
    return listPages(this.http, { path: "/invitations" }, pagination, {}, options);
  }

  /** Revokes a pending invitation: its link stops working. */
  remove(id: string, options?: RequestOptions): Promise<ApiResponse<DeletedInvitation>> {
    return this.http.json(
      { method: "DELETE", path: "/invitations/{id}", pathParams: { id }, replaySafe: true },
      options,
    );
  }
}
