import type { Context } from "hono";
import type { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import { AppError, type ErrorDetail, type ErrorName } from "./errors.ts";

/** The only place an error name becomes an HTTP status. */
export const STATUS_BY_ERROR: Record<ErrorName, ContentfulStatusCode> = {
  validation_error: 422,
  invalid_idempotency_key: 400,
  invalid_idempotent_request: 409,
  concurrent_idempotent_requests: 409,
  missing_api_key: 401,
  restricted_api_key: 401,
  invalid_api_key: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_attachment: 422,
  invalid_from_address: 422,
  invalid_state: 409,
  // Ours (Resend has no such state): the sender may not send until an admin resumes it.
  sending_paused: 403,
  // Ours, for people signed in to the console (API keys keep Resend's names above).
  forbidden: 403,
  invalid_session: 401,
  invalid_csrf_token: 403,
  mfa_required: 403,
  invalid_credentials: 401,
  account_locked: 429,
  invalid_token: 400,
  already_exists: 409,
  sso_failed: 400,
  // Ours: the API key is limited to other addresses (its allowed_ips).
  ip_not_allowed: 403,
  // Ours: the organization requires signed requests and this one's signature is not valid.
  invalid_request_signature: 401,
  rate_limit_exceeded: 429,
  daily_quota_exceeded: 429,
  monthly_quota_exceeded: 429,
  internal_server_error: 500,
};

export interface ErrorBody {
  statusCode: number;
  name: ErrorName;
  message: string;
  request_id: string;
  details?: ErrorDetail[];
}

export function errorBody(c: Context, error: AppError): ErrorBody {
  const body: ErrorBody = {
    statusCode: statusOf(error),
    name: error.errorName,
    message: error.message,
    request_id: c.get("requestId") ?? "",
  };
  if (error.details) body.details = error.details;
  return body;
}

function statusOf(error: AppError): ContentfulStatusCode {
  return error.status ?? STATUS_BY_ERROR[error.errorName];
}

export function errorResponse(c: Context, error: AppError): Response {
  return c.json(errorBody(c, error), statusOf(error), error.headers);
}

/** Zod issues as one readable message plus a detail per field. */
export function zodToAppError(error: ZodError, prefix = ""): AppError {
  const details = error.issues.map((issue) => ({
    path: prefix + issue.path.map(String).join("."),
    message: issue.message,
  }));
  const first = details[0];
  const message = first
    ? `${first.path ? `\`${first.path}\`: ` : ""}${first.message}${details.length > 1 ? ` (and ${details.length - 1} more)` : ""}`
    : "Invalid request";
  return new AppError("validation_error", message, details);
}

/** Errors thrown by Hono itself (malformed JSON, wrong content type, body too large). */
export function fromHttpException(exception: HTTPException): AppError {
  switch (exception.status) {
    case 413:
      return new AppError("payload_too_large", "Request body is too large");
    case 415:
      return new AppError("unsupported_media_type", "Content-Type must be application/json");
    case 400:
      return new AppError("validation_error", exception.message || "Malformed request");
    default:
      return new AppError(
        exception.status >= 500 ? "internal_server_error" : "validation_error",
        exception.message,
      );
  }
}
