import type { components } from "../generated/openapi.ts";

/** The error names the API answers (Resend's), and those the SDK gives when no answer came. */
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
  | "rate_limit_exceeded"
  | "internal_server_error"
  /** The server answered something that is not the API's error shape (a proxy's page...). */
  | "application_error"
  /** No answer: the connection failed or was cut. */
  | "connection_error"
  /** No answer within `timeout` (each attempt). */
  | "timeout_error"
  /** Refused before sending: a path parameter that would change the path (`.`, `..`). */
  | "invalid_parameter";

/**
 * An error as the API answers it (`statusCode`, `name`, `message`, `request_id`, `details`),
 * or as the SDK makes it when there was no usable answer (`statusCode` null then).
 */
export type ErrorResponse = Omit<
  components["schemas"]["Error"],
  "statusCode" | "name" | "request_id"
> & {
  statusCode: number | null;
  name: ErrorName;
  request_id?: string;
};

/**
 * What every operation resolves to, as in Resend's SDK: the data or the error, never both, and
 * the response's headers (null when no response came). API errors never throw.
 */
export type ApiResponse<T> = ({ data: T; error: null } | { data: null; error: ErrorResponse }) & {
  headers: Record<string, string> | null;
};

/**
 * Thrown only where a value cannot carry the error: by an auto-paginating iterator whose next
 * page fails, and by an event stream that cannot resume.
 */
export class ThriveSendError extends Error {
  readonly error: ErrorResponse;
  readonly statusCode: number | null;
  readonly headers: Record<string, string> | null;

  constructor(error: ErrorResponse, headers: Record<string, string> | null = null) {
    super(error.message);
    this.name = "ThriveSendError";
    this.error = error;
    this.statusCode = error.statusCode;
    this.headers = headers;
  }
}

export function failure<T>(
  error: ErrorResponse,
  headers: Record<string, string> | null = null,
): ApiResponse<T> {
  return { data: null, error, headers };
}
