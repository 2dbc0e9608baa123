import type { HttpClient, IdempotentRequestOptions } from "../core/http.ts";
import { newIdempotencyKey } from "../core/idempotency.ts";
import type { ApiResponse } from "../core/response.ts";
import type { BatchResponse } from "../types.ts";
import { type SendEmailOptions, toSendEmailRequest } from "./email-input.ts";

export interface BatchSendOptions extends IdempotentRequestOptions {
  /**
   * `strict` (default): one invalid email rejects the whole batch. `permissive`: the valid
   * ones are sent and the others listed in `errors` by index.
   */
  batchValidation?: "strict" | "permissive";
}

export class Batch {
  private readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
  }

  /** Sends up to 100 emails in one request, under one Idempotency-Key for all its retries. */
  async send(
    emails: SendEmailOptions[],
    options: BatchSendOptions = {},
  ): Promise<ApiResponse<BatchResponse>> {
    return this.http.json(
      {
        method: "POST",
        path: "/emails/batch",
        body: await Promise.all(emails.map(toSendEmailRequest)),
        headers: { "x-batch-validation": options.batchValidation ?? "strict" },
        replaySafe: false,
        idempotencyKey: options.idempotencyKey ?? newIdempotencyKey(),
      },
      options,
    );
  }

  /** Resend's other name for `send`. */
  create(
    emails: SendEmailOptions[],
    options?: BatchSendOptions,
  ): Promise<ApiResponse<BatchResponse>> {
    return this.send(emails, options);
  }
}
