import { attemptSignal, sleep } from "./abort.ts";
import type { RequestSigner } from "./request-signature.ts";
import { type ApiResponse, type ErrorResponse, failure } from "./response.ts";
import {
  type AttemptFailure,
  isRetryable,
  parseRetryAfter,
  type RetryPolicy,
  retryDelayMs,
} from "./retry.ts";
import type { SessionCookies } from "./session.ts";

/** Options every operation takes as its last argument. */
export interface RequestOptions {
  /** Headers added to this request (they win over the client's). */
  headers?: HeadersInit;
  /** Aborts the request and its retries; the call then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Milliseconds each attempt may take before it counts as failed. Default: the client's. */
  timeout?: number;
  /** Attempts after the first one. Default: the client's. */
  maxRetries?: number;
}

/** The options of sends, whose retries the Idempotency-Key makes safe. */
export interface IdempotentRequestOptions extends RequestOptions {
  /**
   * Sent as `Idempotency-Key`: the server answers a repeat of the same key and body with the
   * first response and sends nothing again. Default: a random UUID made once per call and
   * reused by each of its retries.
   */
  idempotencyKey?: string;
}

export type QueryValue = string | number | boolean | Date | readonly string[] | null | undefined;

/** One operation, as a resource method describes it; the client does the rest. */
export interface ApiRequest {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** The spec's path template, e.g. `/emails/{id}`. */
  path: string;
  pathParams?: Record<string, string>;
  query?: Record<string, QueryValue>;
  /** Serialized as JSON; already in the wire's snake_case. */
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Running it twice does no harm (a read, an idempotent write): only then are failures after
   * which the server may have acted retried. A POST with an Idempotency-Key is replay-safe.
   */
  replaySafe: boolean;
  idempotencyKey?: string;
  accept?: string;
  /** Statuses besides 2xx whose body is the operation's data (GET /ready's 503). */
  dataStatuses?: number[];
  /**
   * `manual`: a redirect is the answer (single sign-on's 302 to the provider), not followed.
   * Its `Location` is then the data.
   */
  redirect?: "manual";
}

export interface HttpClientConfig {
  /** The API key; none for a client acting with a person's session. */
  apiKey: string | undefined;
  /** A person's session (a client made without an API key). */
  session: SessionCookies | undefined;
  /** Signs every request (an organization that requires signed requests). */
  signer: RequestSigner | undefined;
  baseUrl: string;
  timeout: number;
  maxRetries: number;
  retryPolicy: RetryPolicy;
  fetch: typeof fetch;
  headers: Headers;
}

interface AttemptOutcome<T> {
  result: ApiResponse<T>;
  /** Set when the attempt failed; absent on success. */
  failure?: AttemptFailure;
  retryAfterMs?: number;
}

type Mode = "json" | "stream" | "redirect";

/**
 * The request layer: fetch, nothing else at run time. It builds the URL and headers, runs the
 * attempts with their timeouts and retries, and turns every outcome into `{data, error,
 * headers}`. Only the caller's own abort rejects.
 */
export class HttpClient {
  readonly config: HttpClientConfig;

  constructor(config: HttpClientConfig) {
    this.config = config;
  }

  /** A JSON operation: the parsed body is the data. */
  json<T>(request: ApiRequest, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    return this.execute<T>(request, options, "json");
  }

  /**
   * A streaming operation: the data is the fetch Response with its body unread. The timeout
   * covers the wait for its headers; the caller's signal still aborts the body.
   */
  stream(request: ApiRequest, options: RequestOptions = {}): Promise<ApiResponse<Response>> {
    return this.execute<Response>(request, options, "stream");
  }

  /** An operation that answers a redirect: its `Location` is the data. */
  redirect(request: ApiRequest, options: RequestOptions = {}): Promise<ApiResponse<string>> {
    return this.execute<string>({ ...request, redirect: "manual" }, options, "redirect");
  }

  private async execute<T>(
    request: ApiRequest,
    options: RequestOptions,
    mode: Mode,
  ): Promise<ApiResponse<T>> {
    const url = this.url(request);
    if (typeof url !== "string") return failure(url);
    if (isChange(request.method)) await this.ensureCsrfToken(options);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const maxRetries = options.maxRetries ?? this.config.maxRetries;
    const timeout = options.timeout ?? this.config.timeout;
    const replaySafe = request.replaySafe || request.idempotencyKey !== undefined;
    for (let retry = 0; ; retry++) {
      // Built for each attempt: a signature is good once, and a session may have rotated.
      const init: RequestInit = {
        method: request.method,
        headers: await this.headers(request, options, url, body),
        body,
        ...(request.redirect ? { redirect: request.redirect } : {}),
        // A browser keeps a session's cookies itself, and sends them only when asked to.
        ...(this.config.session ? { credentials: "include" as const } : {}),
      };
      const outcome = await this.attempt<T>(url, init, options.signal, timeout, mode, request);
      if (!outcome.failure) return outcome.result;
      if (retry >= maxRetries || !isRetryable(outcome.failure, replaySafe)) return outcome.result;
      await sleep(
        retryDelayMs(retry, outcome.retryAfterMs, this.config.retryPolicy),
        options.signal,
      );
    }
  }

  /**
   * A session's changes carry its CSRF token, which a sign-in's answer gives. A client that
   * resumed a session from its cookie alone asks GET /auth/session for it first.
   */
  private async ensureCsrfToken(options: RequestOptions): Promise<void> {
    const { session } = this.config;
    if (!session || session.csrfToken !== undefined || session.sessionCookie === undefined) return;
    const answer = await this.json<{ csrf_token?: string }>(
      { method: "GET", path: "/auth/session", replaySafe: true },
      { signal: options.signal, timeout: options.timeout, maxRetries: options.maxRetries },
    );
    if (answer.data?.csrf_token) session.rememberCsrfToken(answer.data.csrf_token);
  }

  private async attempt<T>(
    url: string,
    init: RequestInit,
    caller: AbortSignal | undefined,
    timeout: number,
    mode: Mode,
    request: ApiRequest,
  ): Promise<AttemptOutcome<T>> {
    const attempt = attemptSignal(caller, timeout);
    let streaming = false;
    try {
      let response: Response;
      try {
        response = await this.config.fetch(url, { ...init, signal: attempt.signal });
      } catch (cause) {
        return noAnswer(cause, caller, attempt.timedOut());
      }
      this.config.session?.absorb(response.headers);
      const headers = headerRecord(response.headers);
      if (mode === "redirect" && isRedirect(response.status)) {
        return {
          result: { data: (response.headers.get("location") ?? "") as T, error: null, headers },
        };
      }
      const isData = response.ok || (request.dataStatuses ?? []).includes(response.status);
      if (isData && mode === "stream") {
        attempt.stopTimer();
        streaming = true;
        return { result: { data: response as T, error: null, headers } };
      }
      let text: string;
      try {
        text = await response.text();
      } catch (cause) {
        return noAnswer(cause, caller, attempt.timedOut());
      }
      if (isData) return { result: parseData<T>(text, response.status, headers) };
      const error = parseError(text, response);
      return {
        result: failure(error, headers),
        failure: { kind: "status", status: response.status, errorName: error.name },
        retryAfterMs: parseRetryAfter(response.headers),
      };
    } finally {
      if (!streaming) attempt.dispose();
    }
  }

  private url(request: ApiRequest): string | ErrorResponse {
    let path = request.path;
    for (const [name, value] of Object.entries(request.pathParams ?? {})) {
      // An empty or dot segment would address another resource (`/emails/` is the list).
      if (typeof value !== "string" || value === "" || value === "." || value === "..") {
        return {
          name: "invalid_parameter",
          statusCode: null,
          message: `\`${name}\` must be a non-empty string other than "." and ".."`,
        };
      }
      path = path.replace(`{${name}}`, encodeURIComponent(value));
    }
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) for (const item of value) search.append(name, item);
      else search.append(name, value instanceof Date ? value.toISOString() : String(value));
    }
    const query = search.toString();
    return `${this.config.baseUrl.replace(/\/+$/, "")}${path}${query ? `?${query}` : ""}`;
  }

  private async headers(
    request: ApiRequest,
    options: RequestOptions,
    url: string,
    body: string | undefined,
  ): Promise<Headers> {
    const { apiKey, session, signer } = this.config;
    const headers = new Headers(this.config.headers);
    if (apiKey !== undefined) headers.set("Authorization", `Bearer ${apiKey}`);
    const cookie = session?.header();
    if (cookie !== undefined) headers.set("Cookie", cookie);
    const csrfToken = session?.csrfToken;
    if (csrfToken !== undefined && isChange(request.method)) headers.set("X-CSRF-Token", csrfToken);
    headers.set("Accept", request.accept ?? "application/json");
    if (body !== undefined) headers.set("Content-Type", "application/json");
    if (request.idempotencyKey !== undefined) {
      headers.set("Idempotency-Key", request.idempotencyKey);
    }
    for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
    for (const [name, value] of new Headers(options.headers)) headers.set(name, value);
    if (signer) {
      for (const [name, value] of Object.entries(
        await signer.headers(request.method, url, body ?? ""),
      )) {
        headers.set(name, value);
      }
    }
    return headers;
  }
}

function isChange(method: ApiRequest["method"]): boolean {
  return method !== "GET";
}

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}

/** The request failed without an answer: the caller's abort rejects; the rest is an error. */
function noAnswer<T>(
  cause: unknown,
  caller: AbortSignal | undefined,
  timedOut: boolean,
): AttemptOutcome<T> {
  if (caller?.aborted) throw caller.reason;
  if (timedOut) {
    return {
      result: failure({
        name: "timeout_error",
        statusCode: null,
        message: "The request timed out.",
      }),
      failure: { kind: "timeout" },
    };
  }
  const reason = cause instanceof Error ? `: ${cause.message}` : "";
  return {
    result: failure({
      name: "connection_error",
      statusCode: null,
      message: `Unable to reach the API${reason}`,
    }),
    failure: { kind: "connection" },
  };
}

function parseData<T>(text: string, status: number, headers: Record<string, string>) {
  try {
    return { data: (text === "" ? null : JSON.parse(text)) as T, error: null, headers };
  } catch {
    return failure<T>(
      { name: "application_error", statusCode: status, message: "The response is not JSON." },
      headers,
    );
  }
}

/** The API's error body as is; anything else (a proxy's HTML page) as `application_error`. */
function parseError(text: string, response: Response): ErrorResponse {
  try {
    const body: unknown = JSON.parse(text);
    if (isErrorBody(body)) return { ...body, statusCode: body.statusCode ?? response.status };
  } catch {
    // not JSON: described below
  }
  return {
    name: "application_error",
    statusCode: response.status,
    message: `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ""}.`,
  };
}

function isErrorBody(body: unknown): body is ErrorResponse {
  if (typeof body !== "object" || body === null) return false;
  const { name, message } = body as Record<string, unknown>;
  return typeof name === "string" && typeof message === "string";
}

function headerRecord(headers: Headers): Record<string, string> {
  return Object.fromEntries(headers.entries());
}
