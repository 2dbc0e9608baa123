import type { HttpClient, RequestOptions } from "../core/http.ts";
import type { ApiResponse } from "../core/response.ts";
import type { SessionCookies } from "../core/session.ts";
import type { components } from "../generated/openapi.ts";
import type {
  EmailVerified,
  MfaDisabled,
  MfaEnabled,
  MfaSetup,
  PasswordResetDone,
  PasswordResetRequested,
  Session,
  SignedOut,
} from "../types.ts";

type Schemas = components["schemas"];

export interface SignUpOptions {
  email: string;
  /** 10 characters or more. */
  password: string;
  name?: string;
  /** The organization the account is made with (its owner). */
  organizationName: string;
}

export interface SignInOptions {
  email: string;
  password: string;
}

export interface MfaCodeOptions {
  /** 6 digits from the authenticator app, or a recovery code. */
  code: string;
}

export interface PasswordResetConfirmOptions {
  /** The token of the emailed link. */
  token: string;
  password: string;
}

export interface TokenOptions {
  /** The token of the emailed link. */
  token: string;
}

export interface SwitchOrganizationOptions {
  organizationId: string;
}

/**
 * The query the provider sent the browser back with, whole: besides `code` and `state`, a
 * provider may add parameters the check needs (`iss`, RFC 9207).
 */
export interface OidcCallbackOptions {
  code?: string;
  state?: string;
  /** What the provider answered instead of a code (`access_denied`...). */
  error?: string;
  iss?: string;
  [parameter: string]: string | undefined;
}

/**
 * What a client that acts as a person answers to (sessions come with these operations'
 * cookies): keeps the CSRF token of a session answer, which a browser learns only from it.
 */
async function keptSession(
  session: SessionCookies | undefined,
  answer: Promise<ApiResponse<Session>>,
): Promise<ApiResponse<Session>> {
  const result = await answer;
  if (result.data) session?.rememberCsrfToken(result.data.csrf_token);
  return result;
}

/** The second factor: set up, turn on and off, and verify at sign-in. */
class Mfa {
  private readonly http: HttpClient;
  private readonly session: SessionCookies | undefined;

  constructor(http: HttpClient, session: SessionCookies | undefined) {
    this.http = http;
    this.session = session;
  }

  /** A new secret for an authenticator app (in force once enabled with a first code). */
  setUp(options?: RequestOptions): Promise<ApiResponse<MfaSetup>> {
    return this.http.json({ method: "POST", path: "/auth/mfa/setup", replaySafe: false }, options);
  }

  /** Turns MFA on with a first code; the answer's recovery codes are shown only now. */
  enable(payload: MfaCodeOptions, options?: RequestOptions): Promise<ApiResponse<MfaEnabled>> {
    return this.http.json(
      {
        method: "POST",
        path: "/auth/mfa/enable",
        body: { code: payload.code } satisfies Schemas["MfaCodeRequest"],
        // A code is good once: a retry would be refused.
        replaySafe: false,
      },
      options,
    );
  }

  /** Turns MFA off; it takes a code (or a recovery code), so a stolen session alone cannot. */
  disable(payload: MfaCodeOptions, options?: RequestOptions): Promise<ApiResponse<MfaDisabled>> {
    return this.http.json(
      {
        method: "POST",
        path: "/auth/mfa/disable",
        body: { code: payload.code } satisfies Schemas["MfaCodeRequest"],
        replaySafe: false,
      },
      options,
    );
  }

  /**
   * Completes a sign-in whose session has `mfa_required`: the session is replaced by a new
   * one, which this client keeps.
   */
  verify(payload: MfaCodeOptions, options?: RequestOptions): Promise<ApiResponse<Session>> {
    return keptSession(
      this.session,
      this.http.json(
        {
          method: "POST",
          path: "/auth/mfa/verify",
          body: { code: payload.code } satisfies Schemas["MfaCodeRequest"],
          replaySafe: false,
        },
        options,
      ),
    );
  }
}

class PasswordReset {
  private readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
  }

  /** Emails a reset link when the address has an account (the answer does not tell). */
  request(
    payload: { email: string },
    options?: RequestOptions,
  ): Promise<ApiResponse<PasswordResetRequested>> {
    return this.http.json(
      {
        method: "POST",
        path: "/auth/password-reset",
        body: { email: payload.email } satisfies Schemas["PasswordResetRequest"],
        // A second email with a second link does no harm.
        replaySafe: true,
      },
      options,
    );
  }

  /** Sets the new password from the link's token; every session of the account ends. */
  confirm(
    payload: PasswordResetConfirmOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<PasswordResetDone>> {
    return this.http.json(
      {
        method: "POST",
        path: "/auth/password-reset/confirm",
        body: {
          token: payload.token,
          password: payload.password,
        } satisfies Schemas["PasswordResetConfirmRequest"],
        replaySafe: false,
      },
      options,
    );
  }
}

/**
 * Single sign-on through the organization's OpenID provider: a browser's journey, whose two
 * ends a server-side app can drive (its own login page redirecting to `start`'s URL, its
 * callback handing the provider's answer to `callback`).
 */
class Oidc {
  private readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
  }

  /**
   * The provider's authorization URL to send the browser to (the API answers a 302; this
   * does not follow it). The answer also sets a cookie the callback needs: a person's client
   * keeps it.
   */
  start(organizationId: string, options?: RequestOptions): Promise<ApiResponse<string>> {
    return this.http.redirect(
      {
        method: "GET",
        path: "/auth/oidc/{org}/start",
        pathParams: { org: organizationId },
        replaySafe: true,
      },
      options,
    );
  }

  /**
   * Finishes the sign-in with the query the provider sent back (an object, or the callback
   * URL's `searchParams`): answers the console's URL, where the API redirects the browser,
   * with the session's cookies (kept by a person's client).
   */
  callback(
    query: OidcCallbackOptions | URLSearchParams,
    options?: RequestOptions,
  ): Promise<ApiResponse<string>> {
    return this.http.redirect(
      {
        method: "GET",
        path: "/auth/oidc/callback",
        query: query instanceof URLSearchParams ? Object.fromEntries(query) : { ...query },
        // The code is good once.
        replaySafe: false,
      },
      options,
    );
  }
}

/**
 * A person's account and session, as the console uses them. A client made without an API key
 * (`new ThriveSend({ baseUrl })`) keeps the session that signUp, signIn, mfa.verify and
 * switchOrganization answer, and acts with it; an API key's client gets `restricted_api_key`
 * from the operations only a session may call.
 */
export class Auth {
  readonly mfa: Mfa;
  readonly passwordReset: PasswordReset;
  readonly oidc: Oidc;
  private readonly http: HttpClient;
  private readonly sessionCookies: SessionCookies | undefined;

  constructor(http: HttpClient, session: SessionCookies | undefined) {
    this.http = http;
    this.sessionCookies = session;
    this.mfa = new Mfa(http, session);
    this.passwordReset = new PasswordReset(http);
    this.oidc = new Oidc(http);
  }

  /** Creates an account, its organization (the person owns it) and a session. */
  signUp(payload: SignUpOptions, options?: RequestOptions): Promise<ApiResponse<Session>> {
    return keptSession(
      this.sessionCookies,
      this.http.json(
        {
          method: "POST",
          path: "/auth/sign-up",
          body: {
            email: payload.email,
            password: payload.password,
            name: payload.name,
            organization_name: payload.organizationName,
          } satisfies Schemas["SignUpRequest"],
          // A retry after a lost answer would find the account made: 409 already_exists.
          replaySafe: false,
        },
        options,
      ),
    );
  }

  /**
   * Signs in. With MFA on, the session answers `mfa_required: true` and only `mfa.verify`
   * works until a code is given.
   */
  signIn(payload: SignInOptions, options?: RequestOptions): Promise<ApiResponse<Session>> {
    return keptSession(
      this.sessionCookies,
      this.http.json(
        {
          method: "POST",
          path: "/auth/sign-in",
          body: {
            email: payload.email,
            password: payload.password,
          } satisfies Schemas["SignInRequest"],
          replaySafe: false,
        },
        options,
      ),
    );
  }

  /** Ends the session, here and wherever its cookie was copied to. */
  signOut(options?: RequestOptions): Promise<ApiResponse<SignedOut>> {
    return this.http.json({ method: "POST", path: "/auth/sign-out", replaySafe: true }, options);
  }

  /** Who is signed in, their organizations, and the CSRF token. */
  session(options?: RequestOptions): Promise<ApiResponse<Session>> {
    return keptSession(
      this.sessionCookies,
      this.http.json({ method: "GET", path: "/auth/session", replaySafe: true }, options),
    );
  }

  /** Confirms the account's address with the token of the emailed link. */
  verifyEmail(
    payload: TokenOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<EmailVerified>> {
    return this.http.json(
      {
        method: "POST",
        path: "/auth/verify-email",
        body: { token: payload.token } satisfies Schemas["VerifyEmailRequest"],
        replaySafe: false,
      },
      options,
    );
  }

  /** Makes another of the person's organizations the session's (the session is rotated). */
  switchOrganization(
    payload: SwitchOrganizationOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<Session>> {
    return keptSession(
      this.sessionCookies,
      this.http.json(
        {
          method: "POST",
          path: "/auth/switch-organization",
          body: {
            organization_id: payload.organizationId,
          } satisfies Schemas["SwitchOrganizationRequest"],
          replaySafe: false,
        },
        options,
      ),
    );
  }
}
