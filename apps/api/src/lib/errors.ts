/**
 * Typed errors thrown by services and middleware. Each carries Resend's error name; only the
 * HTTP layer (lib/http-errors.ts) turns a name into a status code.
 */
export type ErrorName =
  | "validation_error"
  | "invalid_idempotency_key"
  | "invalid_idempotent_request"
  | "concurrent_idempotent_requests"
  | "missing_api_key"
  | "invalid_api_key"
  | "restricted_api_key"
  | "not_found"
  | "method_not_allowed"
  | "payload_too_large"
  | "unsupported_media_type"
  | "invalid_attachment"
  | "invalid_from_address"
  | "invalid_state"
  | "sending_paused"
  | "forbidden"
  | "invalid_session"
  | "invalid_csrf_token"
  | "mfa_required"
  | "invalid_credentials"
  | "account_locked"
  | "invalid_token"
  | "already_exists"
  | "sso_failed"
  | "ip_not_allowed"
  | "invalid_request_signature"
  | "rate_limit_exceeded"
  | "daily_quota_exceeded"
  | "monthly_quota_exceeded"
  | "internal_server_error";

export interface ErrorDetail {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly errorName: ErrorName;
  readonly details: ErrorDetail[] | undefined;
  /**
   * Set only where Resend answers a name with another status than its usual one (a send from
   * an unverified domain is a 403 `validation_error` there).
   */
  readonly status: 403 | undefined;
  /** Response headers that go with the error (Retry-After and the rate-limit fields of a 429). */
  headers: Record<string, string> | undefined;

  constructor(errorName: ErrorName, message: string, details?: ErrorDetail[], status?: 403) {
    super(message);
    this.name = "AppError";
    this.errorName = errorName;
    this.details = details;
    this.status = status;
  }
}

export function notFound(what: string): AppError {
  return new AppError("not_found", `${what} not found`);
}

export function validationError(message: string, details?: ErrorDetail[]): AppError {
  return new AppError("validation_error", message, details);
}
