import type { HttpClient, RequestOptions } from "../core/http.ts";
import { listPages } from "../core/list.ts";
import type { PagePromise, PaginationOptions } from "../core/pagination.ts";
import type { ApiResponse } from "../core/response.ts";
import type { components } from "../generated/openapi.ts";
import type {
  DeletedWebhook,
  Webhook,
  WebhookEvent,
  WebhookEventAttempt,
  WebhookEventListItem,
  WebhookEventRef,
  WebhookEventType,
  WebhookListItem,
  WebhookPayload,
  WebhookRef,
  WebhookSigningSecret,
} from "../types.ts";
import {
  type VerifyWebhookOptions,
  verifyWebhook,
  type WebhookHeaders,
} from "../webhooks/verify.ts";

export interface CreateWebhookOptions {
  /** https (plain http only where the server allows it, e.g. a local receiver). */
  endpoint: string;
  events: WebhookEventType[];
}

export interface UpdateWebhookOptions {
  endpoint?: string;
  events?: WebhookEventType[];
  status?: "enabled" | "disabled";
}

export type ListWebhooksOptions = PaginationOptions;

export type ListWebhookEventsOptions = PaginationOptions & { webhookId: string };

export interface WebhookEventOptions {
  webhookId: string;
  eventId: string;
}

export type ListWebhookEventAttemptsOptions = PaginationOptions & WebhookEventOptions;

class WebhookEventAttempts {
  private readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
  }

  /** Each HTTP attempt to deliver the event, newest first. */
  list(
    { webhookId, eventId, ...pagination }: ListWebhookEventAttemptsOptions,
    options?: RequestOptions,
  ): PagePromise<WebhookEventAttempt> {
    return listPages(
      this.http,
      {
        path: "/webhooks/{id}/events/{event_id}/attempts",
        pathParams: { id: webhookId, event_id: eventId },
      },
      pagination,
      {},
      options,
    );
  }
}

class WebhookEvents {
  readonly attempts: WebhookEventAttempts;

  private readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
    this.attempts = new WebhookEventAttempts(http);
  }

  /** The events sent (or to be sent) to a webhook, with where each delivery stands. */
  list(
    { webhookId, ...pagination }: ListWebhookEventsOptions,
    options?: RequestOptions,
  ): PagePromise<WebhookEventListItem> {
    return listPages(
      this.http,
      { path: "/webhooks/{id}/events", pathParams: { id: webhookId } },
      pagination,
      {},
      options,
    );
  }

  get(
    { webhookId, eventId }: WebhookEventOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<WebhookEvent>> {
    return this.http.json(
      {
        method: "GET",
        path: "/webhooks/{id}/events/{event_id}",
        pathParams: { id: webhookId, event_id: eventId },
        replaySafe: true,
      },
      options,
    );
  }

  /** Sends the event again, same payload and `webhook-id`, with a full retry schedule. */
  replay(
    { webhookId, eventId }: WebhookEventOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<WebhookEventRef>> {
    return this.http.json(
      {
        method: "POST",
        path: "/webhooks/{id}/events/{event_id}/replay",
        pathParams: { id: webhookId, event_id: eventId },
        // Replaying twice ends where replaying once does: a delivery starting over.
        replaySafe: true,
      },
      options,
    );
  }
}

export class Webhooks {
  readonly events: WebhookEvents;

  private readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
    this.events = new WebhookEvents(http);
  }

  /** Adds an endpoint; the answer's `signing_secret` verifies what it receives. */
  create(
    payload: CreateWebhookOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<WebhookSigningSecret>> {
    return this.http.json(
      {
        method: "POST",
        path: "/webhooks",
        body: {
          endpoint: payload.endpoint,
          events: payload.events,
        } satisfies components["schemas"]["CreateWebhookRequest"],
        replaySafe: false,
      },
      options,
    );
  }

  get(id: string, options?: RequestOptions): Promise<ApiResponse<Webhook>> {
    return this.http.json(
      { method: "GET", path: "/webhooks/{id}", pathParams: { id }, replaySafe: true },
      options,
    );
  }

  list(
    pagination: ListWebhooksOptions = {},
    options?: RequestOptions,
  ): PagePromise<WebhookListItem> {
    return listPages(this.http, { path: "/webhooks" }, pagination, {}, options);
  }

  update(
    id: string,
    payload: UpdateWebhookOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<WebhookRef>> {
    return this.http.json(
      {
        method: "PATCH",
        path: "/webhooks/{id}",
        pathParams: { id },
        body: {
          endpoint: payload.endpoint,
          events: payload.events,
          status: payload.status,
        } satisfies components["schemas"]["UpdateWebhookRequest"],
        replaySafe: true,
      },
      options,
    );
  }

  remove(id: string, options?: RequestOptions): Promise<ApiResponse<DeletedWebhook>> {
    return this.http.json(
      { method: "DELETE", path: "/webhooks/{id}", pathParams: { id }, replaySafe: true },
      options,
    );
  }

  /** A new signing secret; for 24 hours messages carry signatures with both. */
  rotateSigningSecret(
    id: string,
    options?: RequestOptions,
  ): Promise<ApiResponse<WebhookSigningSecret>> {
    return this.http.json(
      {
        method: "POST",
        path: "/webhooks/{id}/signing-secret/rotate",
        pathParams: { id },
        // Twice would retire the secret the first answer carried, which the caller never saw.
        replaySafe: false,
      },
      options,
    );
  }

  /** Sends this webhook alone a `webhook.test` event (not in Resend's API). */
  test(id: string, options?: RequestOptions): Promise<ApiResponse<WebhookEventRef>> {
    return this.http.json(
      { method: "POST", path: "/webhooks/{id}/test", pathParams: { id }, replaySafe: false },
      options,
    );
  }

  /**
   * Verifies a delivery and answers its payload; throws a WebhookVerificationError when the
   * signature or timestamp does not hold. `verify(payload, headers, secret)`, or Resend's
   * `verify({ payload, headers, webhookSecret })`.
   */
  verify(
    payload: string | Uint8Array | ArrayBuffer,
    headers: WebhookHeaders,
    secret: string,
  ): WebhookPayload;
  verify(options: VerifyWebhookOptions): WebhookPayload;
  verify(
    payloadOrOptions: string | Uint8Array | ArrayBuffer | VerifyWebhookOptions,
    headers?: WebhookHeaders,
    secret?: string,
  ): WebhookPayload {
    if (
      typeof payloadOrOptions === "object" &&
      !(payloadOrOptions instanceof Uint8Array) &&
      !(payloadOrOptions instanceof ArrayBuffer)
    ) {
      const { payload, headers, webhookSecret } = payloadOrOptions;
      return verifyWebhook(payload, headers, webhookSecret);
    }
    if (headers === undefined || secret === undefined) {
      throw new TypeError("verify(payload, headers, secret) needs all three arguments");
    }
    return verifyWebhook(payloadOrOptions, headers, secret);
  }
}
