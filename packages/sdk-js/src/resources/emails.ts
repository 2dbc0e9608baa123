import type { HttpClient, IdempotentRequestOptions, RequestOptions } from "../core/http.ts";
import { newIdempotencyKey } from "../core/idempotency.ts";
import { listPages } from "../core/list.ts";
import type { PagePromise, PaginationOptions } from "../core/pagination.ts";
import type { ApiResponse } from "../core/response.ts";
import type { components } from "../generated/openapi.ts";
import type { Email, EmailListItem, EmailRef, SendEmailResponse } from "../types.ts";
import { type SendEmailOptions, toSendEmailRequest } from "./email-input.ts";

export interface UpdateEmailOptions {
  id: string;
  /** The new send time; one in the past sends it now. */
  scheduledAt: string | Date;
}

export type ListEmailsOptions = PaginationOptions;

export class Emails {
  private readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
  }

  /**
   * Sends an email. The call's Idempotency-Key (yours, or one made here) goes with each of its
   * retries, so a retried send is never sent twice.
   */
  async send(
    email: SendEmailOptions,
    options: IdempotentRequestOptions = {},
  ): Promise<ApiResponse<SendEmailResponse>> {
    return this.http.json(
      {
        method: "POST",
        path: "/emails",
        body: await toSendEmailRequest(email),
        replaySafe: false,
        idempotencyKey: options.idempotencyKey ?? newIdempotencyKey(),
      },
      options,
    );
  }

  /** Resend's other name for `send`. */
  create(
    email: SendEmailOptions,
    options?: IdempotentRequestOptions,
  ): Promise<ApiResponse<SendEmailResponse>> {
    return this.send(email, options);
  }

  get(id: string, options?: RequestOptions): Promise<ApiResponse<Email>> {
    return this.http.json(
      { method: "GET", path: "/emails/{id}", pathParams: { id }, replaySafe: true },
      options,
    );
  }

  list(pagination: ListEmailsOptions = {}, options?: RequestOptions): PagePromise<EmailListItem> {
    return listPages(this.http, { path: "/emails" }, pagination, {}, options);
  }

  /** Reschedules a scheduled email. */
  update(
    { id, scheduledAt }: UpdateEmailOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<EmailRef>> {
    return this.http.json(
      {
        method: "PATCH",
        path: "/emails/{id}",
        pathParams: { id },
        body: {
          scheduled_at: scheduledAt instanceof Date ? scheduledAt.toISOString() : scheduledAt,
        } satisfies components["schemas"]["UpdateEmailRequest"],
        replaySafe: true,
      },
      options,
    );
  }

  /** Cancels an email that is scheduled or not yet handed to a mail server. */
  cancel(id: string, options?: RequestOptions): Promise<ApiResponse<EmailRef>> {
    return this.http.json(
      { method: "POST", path: "/emails/{id}/cancel", pathParams: { id }, replaySafe: true },
      options,
    );
  }
}
