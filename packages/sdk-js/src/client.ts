import { HttpClient } from "./core/http.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./core/retry.ts";
import { ApiKeys } from "./resources/api-keys.ts";
import { Batch } from "./resources/batch.ts";
import { Domains } from "./resources/domains.ts";
import { Emails } from "./resources/emails.ts";
import { Events } from "./resources/events.ts";
import { Providers } from "./resources/providers.ts";
import { Reputation } from "./resources/reputation.ts";
import { Suppressions } from "./resources/suppressions.ts";
import { System } from "./resources/system.ts";
import { Webhooks } from "./resources/webhooks.ts";
import { VERSION } from "./version.ts";

export interface ThriveSendOptions {
  /** The API's URL. Default: `THRIVE_BASE_URL`, else `http://localhost:3000` (`pnpm dev`). */
  baseUrl?: string;
  /** Milliseconds each attempt may take (default 60,000). */
  timeout?: number;
  /** Attempts after the first for a failure worth retrying (default 2). */
  maxRetries?: number;
  /** The backoff's first ceiling and cap, and the cap on Retry-After (milliseconds). */
  retryDelays?: Partial<Omit<RetryPolicy, "maxRetries">>;
  /** Another fetch (a proxy's, a test's). Default: the global one. */
  fetch?: typeof fetch;
  /** Headers sent with every request. */
  headers?: HeadersInit;
  userAgent?: string;
}

const DEFAULT_BASE_URL = "http://localhost:3000";

/** Reads an environment variable where there is one (Node, Bun; not edge runtimes). */
function env(name: string): string | undefined {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } })
    .process;
  return process?.env?.[name] || undefined;
}

/**
 * The Thrive-Send client, shaped like Resend's: `new ThriveSend(apiKey, { baseUrl })`, then
 * `thrive.emails.send(...)`. Every operation resolves to `{ data, error, headers }`; API
 * errors never throw. Only `fetch` is needed at run time (Node 20+, Bun, Deno, edge).
 */
export class ThriveSend {
  readonly baseUrl: string;
  readonly emails: Emails;
  readonly batch: Batch;
  readonly apiKeys: ApiKeys;
  readonly domains: Domains;
  readonly suppressions: Suppressions;
  readonly webhooks: Webhooks;
  readonly events: Events;
  readonly reputation: Reputation;
  readonly providers: Providers;
  readonly system: System;

  /** `apiKey` defaults to the THRIVE_API_KEY environment variable. */
  constructor(apiKey?: string, options: ThriveSendOptions = {}) {
    const key = apiKey ?? env("THRIVE_API_KEY");
    if (!key) {
      throw new Error(
        'Missing API key: pass it, `new ThriveSend("ts_...")`, or set THRIVE_API_KEY.',
      );
    }
    this.baseUrl = options.baseUrl ?? env("THRIVE_BASE_URL") ?? DEFAULT_BASE_URL;
    const headers = new Headers(options.headers);
    headers.set("User-Agent", options.userAgent ?? `thrive-send-js/${VERSION}`);
    const http = new HttpClient({
      apiKey: key,
      baseUrl: this.baseUrl,
      timeout: options.timeout ?? 60_000,
      maxRetries: options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries,
      retryPolicy: { ...DEFAULT_RETRY_POLICY, ...options.retryDelays },
      // Bound late, so a fetch patched after construction (tests, instrumentation) is used.
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      headers,
    });
    this.emails = new Emails(http);
    this.batch = new Batch(http);
    this.apiKeys = new ApiKeys(http);
    this.domains = new Domains(http);
    this.suppressions = new Suppressions(http);
    this.webhooks = new Webhooks(http);
    this.events = new Events(http);
    this.reputation = new Reputation(http);
    this.providers = new Providers(http);
    this.system = new System(http);
  }
}
