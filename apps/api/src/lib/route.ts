import { z } from "@hono/zod-openapi";
import { authenticate, authenticateSession, requirePermission } from "./auth.ts";
import type { ErrorName } from "./errors.ts";
import { STATUS_BY_ERROR } from "./http-errors.ts";
import { PEOPLE_ONLY, type Permission } from "./permissions.ts";
import { limitRequests } from "./request-limits.ts";

export const ErrorSchema = z
  .object({
    statusCode: z.number().int().openapi({ example: 422 }),
    name: z.string().openapi({ example: "validation_error" }),
    message: z.string().openapi({ example: "`to`: Invalid email address" }),
    request_id: z.string().openapi({ example: "019a7c2e-5b7d-7cc1-9f3e-2d1c5b0a9e11" }),
    details: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: "One entry per invalid field, for validation errors." }),
  })
  .openapi("Error", { description: "Every error has this shape, with Resend's error names." });

/**
 * The authentication, rate limits, authorization and spec annotations of a protected route, to
 * spread into createRoute: the permission is declared once and both enforced and published.
 */
export function requires(permission: Permission) {
  return {
    // The people's operations (the organization, its members and roles) take no API key: the
    // spec says so, and a key gets 401 restricted_api_key.
    security: (PEOPLE_ONLY.has(permission)
      ? [{ sessionCookie: [] }]
      : [{ bearerAuth: [] }, { sessionCookie: [] }]) as Record<string, string[]>[],
    "x-permission": permission,
    middleware: [authenticate, limitRequests, requirePermission(permission)],
  };
}

/**
 * An operation on the caller's own account (`/auth/...`): a signed-in person, whatever their
 * organization and role. `allowPendingMfa`: also before their second factor is verified.
 */
export function requiresSession(options: { allowPendingMfa?: boolean } = {}) {
  return {
    security: [{ sessionCookie: [] as string[] }],
    "x-authentication": "session",
    middleware: [authenticateSession(options)],
  };
}

const DESCRIPTIONS: Partial<Record<ErrorName, string>> = {
  validation_error: "The request is invalid; `details` lists each problem.",
  missing_api_key: "No API key in the Authorization header.",
  restricted_api_key: "The API key lacks the permission this operation needs.",
  invalid_api_key: "The API key does not exist, was revoked or has expired.",
  not_found: "No such object in this organization.",
  invalid_idempotency_key: "The Idempotency-Key header must be 1 to 256 characters.",
  invalid_idempotent_request: "The Idempotency-Key was used with another request body.",
  concurrent_idempotent_requests: "A request with this Idempotency-Key is still in progress.",
  payload_too_large: "The request body is over the size limit.",
  invalid_state: "The object is not in a state that allows this operation.",
  ip_not_allowed: "The API key is limited to other client addresses (its `allowed_ips`).",
  invalid_request_signature:
    "The organization requires signed requests, and this one's X-Thrive-Signature is missing, wrong, outside its 5-minute window or replayed.",
  rate_limit_exceeded:
    "Too many requests for the API key's or the organization's rate limit: wait `retry-after` seconds.",
  daily_quota_exceeded:
    "The organization's daily email quota (its plan's) is used up until midnight UTC; `retry-after` says when.",
  monthly_quota_exceeded:
    "The organization's monthly email quota (its plan's) is used up until the next month (UTC).",
  sending_paused:
    "Sending from this domain (or organization) paused itself: its bounce or complaint rate is past its threshold. POST /reputation/resume resumes it.",
  forbidden:
    "The member's role does not allow this operation (or there is no active organization).",
  invalid_session: "The session cookie is unknown, expired or revoked: sign in again.",
  invalid_csrf_token:
    "A cookie-authenticated change without the session's X-CSRF-Token header (or with a wrong one).",
  mfa_required: "The session still waits for its second factor (POST /auth/mfa/verify).",
  invalid_credentials: "Wrong email, password or code.",
  account_locked: "Too many failed attempts: the account is locked for a while.",
  invalid_token: "The link's token is unknown, used or expired.",
  already_exists: "Such an object exists already.",
  sso_failed: "Single sign-on did not complete (state, nonce or the provider's answer).",
};

/** OpenAPI response entries for the errors a route can answer, grouped by status. */
export function errorResponses(...names: ErrorName[]) {
  return responsesFor([
    "missing_api_key",
    "invalid_api_key",
    "ip_not_allowed",
    "invalid_request_signature",
    "rate_limit_exceeded",
    ...names,
  ]);
}

/** The same, for an operation open to anyone (sign-in, sign-up...): no credential errors. */
export function publicErrorResponses(...names: ErrorName[]) {
  return responsesFor(names);
}

/** The session-only operations' errors: the cookie's, and an API key's refusal. */
export function sessionErrorResponses(...names: ErrorName[]) {
  return responsesFor([
    "missing_api_key",
    "invalid_api_key",
    "restricted_api_key",
    "invalid_session",
    "invalid_csrf_token",
    ...names,
  ]);
}

function responsesFor(all: ErrorName[]) {
  const byStatus = new Map<number, string[]>();
  for (const name of all) {
    const status = STATUS_BY_ERROR[name];
    byStatus.set(status, [
      ...(byStatus.get(status) ?? []),
      `\`${name}\`: ${DESCRIPTIONS[name] ?? name}`,
    ]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, lines]) => [
      status,
      { description: lines.join(" "), content: { "application/json": { schema: ErrorSchema } } },
    ]),
  );
}

/** The errors of the two send operations (POST /emails and POST /emails/batch). */
export const SEND_ERRORS: ErrorName[] = [
  "restricted_api_key",
  "validation_error",
  "invalid_idempotency_key",
  "invalid_idempotent_request",
  "concurrent_idempotent_requests",
  "payload_too_large",
  "sending_paused",
  "daily_quota_exceeded",
  "monthly_quota_exceeded",
];
