export type SafeFetchErrorCode =
  /** Not an http(s) URL, credentials in it, or a redirect to such a URL. */
  | "invalid_url"
  /** A header or method that node refuses to send. */
  | "invalid_request"
  /** The host is, or resolves to, an address that may not be reached (see ssrf.ts). */
  | "blocked_address"
  /** No such host, connection refused or reset, TLS failure, a response cut short. */
  | "connection_failed"
  | "timeout"
  | "too_large"
  | "too_many_redirects"
  /** An answer, but not the expected one (fetchAttachment wants a 2xx). */
  | "http_status";

const MESSAGES: Record<SafeFetchErrorCode, string> = {
  invalid_url: "The URL must be an http or https URL without credentials",
  invalid_request: "The request could not be sent as given",
  blocked_address: "The URL's host is not allowed: it is, or resolves to, a non-public address",
  connection_failed: "Could not get a response from the URL's host",
  timeout: "The URL's host did not answer in time",
  too_large: "The response is larger than allowed",
  too_many_redirects: "The URL redirects too many times",
  http_status: "The URL answered with an unexpected HTTP status",
};

/**
 * A fetch refused or failed. Its message is fit for the client who gave the URL: it names no
 * internal address and no socket detail. `reason` carries those, for our logs only.
 */
export class SafeFetchError extends Error {
  override name = "SafeFetchError";
  readonly code: SafeFetchErrorCode;
  /** For logs, never for clients: the refused address class, the socket error code, ... */
  readonly reason: string | undefined;
  /** The HTTP status, for `http_status` (and the 3xx of `too_many_redirects`). */
  readonly status: number | undefined;

  constructor(
    code: SafeFetchErrorCode,
    details: { reason?: string; status?: number; message?: string } = {},
  ) {
    super(details.message ?? MESSAGES[code]);
    this.code = code;
    this.reason = details.reason;
    this.status = details.status;
  }
}
