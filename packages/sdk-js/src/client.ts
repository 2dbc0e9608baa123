import { HttpClient } from "./core/http.ts";
import { RequestSigner } from "./core/request-signature.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./core/retry.ts";
import { SessionCookies } from "./core/session.ts";
import { ApiKeys } from "./resources/api-keys.ts";
import { AuditLogs } from "./resources/audit-logs.ts";
import { Auth } from "./resources/auth.ts";
import { Batch } from "./resources/batch.ts";
import { Domains } from "./resources/domains.ts";
import { Emails } from "./resources/emails.ts";
import { Events } from "./resources/events.ts";
import { Invitations } from "./resources/invitations.ts";
import { Members } from "./resources/members.ts";
import { Organization } from "./resources/organization.ts";
import { Providers } from "./resources/providers.ts";
import { Reputation } from "./resources/reputation.ts";
import { RequestSigning } from "./resources/request-signing.ts";
import { Roles } from "./resources/roles.ts";
import { Suppressions } from "./resources/suppressions.ts";
import { System } from "./resources/system.ts";
import { Usage } from "./resources/usage.ts";
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
  /**
   * The organization's request-signing secret (POST /request-signing/rotate): every request
   * is then signed with it (X-Thrive-Timestamp, X-Thrive-Signature).
   */
  signingSecret?: string;
}

/**
 * A client acting as a person, as the console does, rather than with an API key: it keeps the
 * session cookie the API sets (auth.signUp, auth.signIn, invitations.accept...) and sends it
 * back, with the CSRF token on changes. The people-only operations (organization, members,
 * roles, invitations, auth.session...) need one.
 */
export interface ThriveSendSessionOptions extends ThriveSendOptions {
  /** A session to resume: `thrive.sessionCookie` of an earlier client (or the bare token). */
  sessionCookie?: string;
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
 *
 * `new ThriveSend({ baseUrl })`, options first and no key, makes a client that acts as a
 * person: `await thrive.auth.signIn({ email, password })`, then `thrive.members.list()`...
 */
export class ThriveSend {
  readonly baseUrl: string;
  readonly auth: Auth;
  readonly organization: Organization;
  readonly members: Members;
  readonly roles: Roles;
  readonly invitations: Invitations;
  readonly auditLogs: AuditLogs;
  readonly usage: Usage;
  readonly requestSigning: RequestSigning;
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

  private readonly session: SessionCookies | undefined;

  /** A person's client: no API key; the session of a sign-in, or `sessionCookie`'s. */
  constructor(options: ThriveSendSessionOptions);
  // Last, so that ConstructorParameters<typeof ThriveSend> is the API key's form.
  /** `apiKey` defaults to the THRIVE_API_KEY environment variable. */
  constructor(apiKey?: string, options?: ThriveSendOptions);
  constructor(
    apiKeyOrOptions?: string | ThriveSendSessionOptions,
    maybeOptions: ThriveSendOptions = {},
  ) {
    const asPerson = typeof apiKeyOrOptions === "object" && apiKeyOrOptions !== null;
    const options: ThriveSendSessionOptions = asPerson ? apiKeyOrOptions : maybeOptions;
    const key = asPerson ? undefined : (apiKeyOrOptions ?? env("THRIVE_API_KEY"));
    if (!asPerson && !key) {
      throw new Error(
        'Missing API key: pass it, `new ThriveSend("ts_...")`, or set THRIVE_API_KEY (or sign in as a person: `new ThriveSend({ baseUrl })`).',
      );
    }
    this.baseUrl = options.baseUrl ?? env("THRIVE_BASE_URL") ?? DEFAULT_BASE_URL;
    this.session = asPerson ? new SessionCookies(this.baseUrl, options.sessionCookie) : undefined;
    const headers = new Headers(options.headers);
    headers.set("User-Agent", options.userAgent ?? `thrive-send-js/${VERSION}`);
    const http = new HttpClient({
      apiKey: key,
      session: this.session,
      signer: options.signingSecret ? new RequestSigner(options.signingSecret) : undefined,
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
    this.auth = new Auth(http, this.session);
    this.organization = new Organization(http);
    this.members = new Members(http);
    this.roles = new Roles(http);
    this.invitations = new Invitations(http, this.session);
    this.auditLogs = new AuditLogs(http);
    this.usage = new Usage(http);
    this.requestSigning = new RequestSigning(http);
  }

  /**
   * A person's client: its session cookie (`name=value`), to keep and resume with later
   * (`new ThriveSend({ baseUrl, sessionCookie })`); undefined when signed out, in a browser
   * (which keeps it), and for an API key's client.
   */
  get sessionCookie(): string | undefined {
    return this.session?.sessionCookie;
  }
}
