import { type ErrorResponse, ThriveSendError } from "@thrive-send/sdk";

/** Exit statuses: 0 done, 1 the API or the command failed, 2 the command line was wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A field-level problem of a validation error, as the API lists them in `details`. */
export interface ErrorDetail {
  path?: string;
  message?: string;
}

/**
 * A failure the user should read: the API's error (its `name`, `message`, status and request
 * id) or the CLI's own. Thrown by commands, printed once by `main`.
 */
export class CliError extends Error {
  readonly code: string;
  readonly statusCode: number | null;
  readonly requestId: string | undefined;
  readonly details: ErrorDetail[];
  readonly exitCode: number;

  constructor(
    message: string,
    options: {
      code?: string;
      statusCode?: number | null;
      requestId?: string;
      details?: ErrorDetail[];
      exitCode?: number;
    } = {},
  ) {
    super(message);
    this.name = "CliError";
    this.code = options.code ?? "cli_error";
    this.statusCode = options.statusCode ?? null;
    this.requestId = options.requestId;
    this.details = options.details ?? [];
    this.exitCode = options.exitCode ?? EXIT_FAILURE;
  }

  /** What `--json` prints on stderr. */
  toJSON(): Record<string, unknown> {
    return {
      error: {
        name: this.code,
        message: this.message,
        statusCode: this.statusCode,
        ...(this.requestId ? { request_id: this.requestId } : {}),
        ...(this.details.length > 0 ? { details: this.details } : {}),
      },
    };
  }
}

/** The SDK's `{ error }` (the API's answer, or no answer) as a CliError. */
export function apiError(error: ErrorResponse): CliError {
  const details = (error as { details?: unknown }).details;
  return new CliError(error.message, {
    code: error.name,
    statusCode: error.statusCode,
    ...(error.request_id ? { requestId: error.request_id } : {}),
    ...(Array.isArray(details) ? { details: details as ErrorDetail[] } : {}),
  });
}

/** Unwraps `{ data, error }`: the data, or the API's error thrown as a CliError. */
export function unwrap<T>(response: { data: T | null; error: ErrorResponse | null }): T {
  if (response.error) throw apiError(response.error);
  return response.data as T;
}

/** Anything thrown, as a CliError (SDK iterators throw ThriveSendError for a failed page). */
export function toCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof ThriveSendError) return apiError(error.error);
  const message = error instanceof Error ? error.message : String(error);
  return new CliError(message, { code: "unexpected_error" });
}
