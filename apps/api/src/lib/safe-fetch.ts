import http, { type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { addAbortSignal } from "node:stream";
import { SafeFetchError } from "./safe-fetch-error.ts";
import { createSsrfGuard, type SsrfGuard } from "./ssrf-guard.ts";

export interface SafeFetchOptions {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** For the whole fetch: connecting, headers, body, and every redirect followed. */
  timeoutMs?: number;
  /** Most bytes of response body read; past it the request is aborted (`too_large`). */
  maxBytes?: number;
  /** Past `maxBytes`, keep the first bytes and answer instead of failing (a webhook's reply). */
  truncate?: boolean;
  /** 0: a 3xx is returned as it is. N: up to N redirects followed, each checked anew. */
  maxRedirects?: number;
  /** The guard (and its connection pool) to go through; one for this fetch otherwise. */
  guard?: SsrfGuard;
  /** For the one-fetch guard, when `guard` is not given. */
  allowList?: string | readonly string[];
}

export interface SafeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered: the last one, when redirects were followed. */
  url: string;
}

export const SAFE_FETCH_DEFAULTS = {
  timeoutMs: 15_000,
  maxBytes: 10 * 1024 * 1024,
  maxRedirects: 0,
} as const;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Not sent on to another origin, as fetch() does. */
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];
const BODY_HEADERS = ["content-type", "content-encoding", "content-language", "content-location"];

interface Hop {
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
}

/**
 * An HTTP request to a URL a client gave us. Only public addresses are reached (ssrf.ts),
 * checked at connect time on every hop; time and size are bounded. Fails only with a
 * SafeFetchError.
 */
export async function safeFetch(
  url: string | URL,
  options: SafeFetchOptions = {},
): Promise<SafeResponse> {
  const guard = options.guard ?? createSsrfGuard({ allowList: options.allowList });
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(),
    options.timeoutMs ?? SAFE_FETCH_DEFAULTS.timeoutMs,
  );
  try {
    return await follow(url, options, guard, controller.signal);
  } catch (error) {
    throw toSafeFetchError(error, controller.signal);
  } finally {
    clearTimeout(timer);
    if (!options.guard) guard.close();
  }
}

async function follow(
  url: string | URL,
  options: SafeFetchOptions,
  guard: SsrfGuard,
  signal: AbortSignal,
): Promise<SafeResponse> {
  const maxRedirects = options.maxRedirects ?? SAFE_FETCH_DEFAULTS.maxRedirects;
  let target = checkedUrl(url);
  let hop: Hop = {
    method: options.method ?? "GET",
    headers: lowerCaseKeys(options.headers ?? {}),
    body: options.body,
  };
  for (let redirects = 0; ; redirects++) {
    const response = await send(target, hop, guard, signal);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (maxRedirects === 0 || !REDIRECT_STATUSES.has(status) || !location) {
      const body = await readBody(
        response,
        options.maxBytes ?? SAFE_FETCH_DEFAULTS.maxBytes,
        signal,
        options.truncate ?? false,
      );
      return { status, headers: response.headers, body, url: target.href };
    }
    // A redirect's body is of no use; reading it would only cost time and memory.
    response.destroy();
    if (redirects >= maxRedirects) throw new SafeFetchError("too_many_redirects", { status });
    const next = checkedUrl(location, target);
    hop = redirectedHop(hop, status, next.origin !== target.origin);
    target = next;
  }
}

function checkedUrl(input: string | URL, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(input, base);
  } catch {
    throw new SafeFetchError("invalid_url", { reason: "unparsable" });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new SafeFetchError("invalid_url", { reason: `scheme ${url.protocol}` });
  }
  if (url.username || url.password) {
    throw new SafeFetchError("invalid_url", { reason: "credentials in the URL" });
  }
  return url;
}

/** The method and headers for the next hop, as browsers and fetch() make them. */
function redirectedHop(hop: Hop, status: number, crossOrigin: boolean): Hop {
  const toGet = status === 303 || ((status === 301 || status === 302) && hop.method === "POST");
  const dropped = new Set([
    ...(toGet ? BODY_HEADERS : []),
    ...(crossOrigin ? CREDENTIAL_HEADERS : []),
  ]);
  return {
    method: toGet ? "GET" : hop.method,
    headers: Object.fromEntries(Object.entries(hop.headers).filter(([name]) => !dropped.has(name))),
    body: toGet ? undefined : hop.body,
  };
}

function send(
  target: URL,
  hop: Hop,
  guard: SsrfGuard,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  // node connects to an IP literal without calling `lookup`: checked here instead.
  const host = target.hostname.replace(/^\[(.*)\]$/, "$1");
  if (isIP(host)) {
    const reason = guard.refusalReason(host);
    if (reason) throw new SafeFetchError("blocked_address", { reason: `${reason}: ${host}` });
  }
  const secure = target.protocol === "https:";
  const headers = { ...hop.headers };
  if (hop.body !== undefined) headers["content-length"] = String(Buffer.byteLength(hop.body));
  return new Promise((resolve, reject) => {
    let request: http.ClientRequest;
    try {
      request = (secure ? https : http).request(target, {
        method: hop.method,
        headers,
        agent: secure ? guard.httpsAgent : guard.httpAgent,
        lookup: guard.lookup,
        signal,
      });
    } catch (error) {
      reject(new SafeFetchError("invalid_request", { reason: errorCode(error) }));
      return;
    }
    request.on("error", reject);
    request.on("response", resolve);
    request.end(hop.body);
  });
}

async function readBody(
  response: IncomingMessage,
  maxBytes: number,
  signal: AbortSignal,
  truncate: boolean,
): Promise<Buffer> {
  const declared = Number(response.headers["content-length"]);
  if (declared > maxBytes && !truncate) {
    response.destroy();
    throw new SafeFetchError("too_large", { reason: `Content-Length ${declared}` });
  }
  addAbortSignal(signal, response);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    if (size + chunk.length > maxBytes) {
      if (!truncate) throw new SafeFetchError("too_large", { reason: `over ${maxBytes} bytes` });
      // The rest is not wanted: the connection goes rather than wait for it.
      chunks.push(chunk.subarray(0, maxBytes - size));
      size = maxBytes;
      response.destroy();
      break;
    }
    size += chunk.length;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function toSafeFetchError(error: unknown, signal: AbortSignal): SafeFetchError {
  if (error instanceof SafeFetchError) return error;
  if (signal.aborted) return new SafeFetchError("timeout");
  return new SafeFetchError("connection_failed", { reason: errorCode(error) });
}

function errorCode(error: unknown): string {
  if (error instanceof Error) return (error as NodeJS.ErrnoException).code ?? error.name;
  return "unknown";
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
}
