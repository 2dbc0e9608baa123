import {
  actAs,
  emailedToken,
  INVITE_SOMEONE_TO_REVOKE,
  keepSessionOf,
  MFA_CODE,
  STORE_MEMBER_IDS,
} from "./session-scripts.ts";

/**
 * The order a run of the collection takes and what each request adds to make the run work on
 * its own against a fresh server: ids that create requests answer flow into the requests that
 * follow through collection variables ({{domain_id}}, {{webhook_id}}...), and names that must be
 * unique get a fresh value before their request. Every operation of the spec is listed here:
 * generation fails on one that is not, so a new route gets a place in the run.
 */
export interface Step {
  operationId: string;
  /** Lines of the pre-request script. */
  prerequest?: string[];
  /** Fields of the JSON body replacing those built from the schema's examples. */
  body?: Record<string, unknown>;
  /** Query parameters set to these values; null leaves one out (disabled). */
  query?: Record<string, string | null>;
  /** Collection variables set from the JSON response: variable → response field. */
  store?: Record<string, string>;
  /** More lines of the test script, after the status test. */
  test?: string[];
  /** A folder other than the operation's tag. */
  folder?: string;
  /**
   * The people part of the run (see session-scripts.ts): `send` authenticates with the
   * session, as the console does (`Cookie: {{session_cookie}}`, and `X-CSRF-Token:
   * {{csrf_token}}` on changes), instead of the API key; `receive` sends no credential. Both
   * keep the session the answer's cookies give, outside Postman's cookie jar.
   */
  session?: "send" | "receive";
  /** Postman's request settings (`followRedirects`...). */
  settings?: Record<string, unknown>;
  /**
   * The error this request is expected to answer, in place of the documented successes: a
   * refusal the run shows on purpose, because no state of the run allows the operation.
   */
  refusal?: { status: number; name: string; because: string };
}

const uniqueValue = (variable: string, expression: string) =>
  `pm.collectionVariables.set("${variable}", ${expression});`;

// A replay while the first delivery is under way answers 409 (and deleting the webhook drops
// what waits for it): give the test event up to 5 seconds to be delivered or to fail once.
const WAIT_FOR_FIRST_DELIVERY = [
  "const deadline = Date.now() + 5000;",
  "function poll() {",
  "  pm.sendRequest(",
  "    {",
  '      url: pm.variables.replaceIn("{{base_url}}/webhooks/{{webhook_id}}/events/{{event_id}}"),',
  '      header: { Authorization: pm.variables.replaceIn("Bearer {{api_key}}") },',
  "    },",
  "    function (error, response) {",
  "      const event = error ? null : response.json();",
  '      if (event && event.attempts > 0 && event.status !== "attempting") return;',
  "      if (Date.now() < deadline) setTimeout(poll, 100);",
  "    },",
  "  );",
  "}",
  "poll();",
];

/**
 * Signs the request (lib/request-signature.ts in apps/api) with {{signing_secret}}: Postman's
 * sandbox has CryptoJS for the SHA-256 of the body and the HMAC.
 */
const SIGN_REQUEST = [
  "const timestamp = String(Math.floor(Date.now() / 1000));",
  "const url = pm.request.url;",
  'const path = "/" + url.path.join("/") + (url.getQueryString() ? "?" + url.getQueryString() : "");',
  'const body = pm.request.body && pm.request.body.raw ? pm.variables.replaceIn(pm.request.body.raw) : "";',
  'const base = [pm.request.method, path, timestamp, CryptoJS.SHA256(body).toString()].join("\\n");',
  'const secret = pm.collectionVariables.get("signing_secret");',
  'pm.request.headers.upsert({ key: "X-Thrive-Timestamp", value: timestamp });',
  "pm.request.headers.upsert({",
  '  key: "X-Thrive-Signature",',
  '  value: "v1=" + CryptoJS.HmacSHA256(base, secret).toString(),',
  "});",
];

/** Runs with newman skip this folder: an event stream never ends by itself. */
export const ENDLESS_FOLDER = "Event stream (endless: stop it by hand)";

/**
 * Runs with newman skip this folder too: the callback needs the code a person gets by signing
 * in at the provider, in a browser (see startOidcSignIn's {{oidc_authorize_url}}).
 */
export const BROWSER_FOLDER = "Single sign-on callback (after the browser's part: by hand)";

/** The folders a run of the whole collection leaves out. */
export const BY_HAND_FOLDERS = [BROWSER_FOLDER, ENDLESS_FOLDER];

/** The end of the people part: Ada hands the organization over to Grace, who deletes it. */
export const HANDOVER_FOLDER = "Organization handover and deletion";

const copyVariable = (variable: string, from: string) =>
  uniqueValue(variable, `pm.collectionVariables.get("${from}")`);

export const FLOW: Step[] = [
  { operationId: "getHealth" },
  { operationId: "getReadiness" },
  {
    operationId: "createDomain",
    prerequest: [uniqueValue("domain_name", '"postman-" + Date.now() + ".example.com"')],
    body: { name: "{{domain_name}}" },
    store: { domain_id: "id" },
  },
  { operationId: "listDomains" },
  { operationId: "getDomain" },
  { operationId: "updateDomain" },
  { operationId: "verifyDomain" },
  { operationId: "createApiKey", store: { api_key_id: "id" } },
  { operationId: "listApiKeys" },
  // The created key gets a successor; the old one still works (grace period) and is deleted.
  { operationId: "rotateApiKey" },
  { operationId: "deleteApiKey" },
  {
    operationId: "sendEmail",
    // Scheduled, so that it can be rescheduled and cancelled below.
    prerequest: [uniqueValue("scheduled_at", "new Date(Date.now() + 86400000).toISOString()")],
    body: { scheduled_at: "{{scheduled_at}}" },
    store: { email_id: "id" },
  },
  { operationId: "getEmail" },
  { operationId: "listEmails" },
  {
    operationId: "updateEmail",
    prerequest: [uniqueValue("rescheduled_at", "new Date(Date.now() + 172800000).toISOString()")],
    body: { scheduled_at: "{{rescheduled_at}}" },
  },
  { operationId: "cancelEmail" },
  { operationId: "sendEmailBatch" },
  {
    operationId: "addSuppression",
    prerequest: [uniqueValue("suppression_email", '"postman-" + Date.now() + "@example.com"')],
    body: { email: "{{suppression_email}}" },
  },
  { operationId: "listSuppressions" },
  { operationId: "getSuppression" },
  { operationId: "removeSuppression" },
  { operationId: "batchAddSuppressions" },
  { operationId: "batchRemoveSuppressions" },
  { operationId: "getReputation" },
  { operationId: "resumeSending" },
  {
    operationId: "createProvider",
    prerequest: [uniqueValue("provider_name", '"Postman " + Date.now()')],
    // Disabled: the run's emails must not go out through the example's SMTP server.
    body: { name: "{{provider_name}}", enabled: false },
    store: { provider_id: "id" },
  },
  { operationId: "listProviders" },
  { operationId: "getProvider" },
  { operationId: "updateProvider" },
  { operationId: "deleteProvider" },
  {
    operationId: "createWebhook",
    body: { endpoint: "{{webhook_endpoint}}" },
    store: { webhook_id: "id" },
  },
  { operationId: "listWebhooks" },
  { operationId: "getWebhook" },
  { operationId: "updateWebhook", body: { endpoint: "{{webhook_endpoint}}" } },
  { operationId: "rotateWebhookSigningSecret" },
  { operationId: "sendWebhookTestEvent", store: { event_id: "id" } },
  { operationId: "listWebhookEvents" },
  { operationId: "getWebhookEvent" },
  { operationId: "listWebhookEventAttempts" },
  { operationId: "replayWebhookEvent", prerequest: WAIT_FOR_FIRST_DELIVERY },
  { operationId: "deleteWebhook" },
  { operationId: "deleteDomain" },
  { operationId: "listEvents" },
  { operationId: "exportEvents" },
  { operationId: "listAuditLogs" },
  { operationId: "exportAuditLogs" },
  { operationId: "getUsage" },
  { operationId: "getRequestSigning" },
  // Turns request signing on: from here every request must be signed, so the next one (which
  // turns it off again) signs itself with the secret this one answered.
  { operationId: "rotateRequestSigningSecret", store: { signing_secret: "secret" } },
  { operationId: "disableRequestSigning", prerequest: SIGN_REQUEST },

  // People, with sessions as in the console (session-scripts.ts). Ada signs up: a new
  // organization, hers. She confirms her address, turns MFA on, signs out, resets her password
  // and signs in again with a recovery code as her second factor.
  {
    operationId: "signUp",
    session: "receive",
    prerequest: [
      uniqueValue("ada_email", '"ada-" + Date.now() + "@example.com"'),
      uniqueValue("grace_email", '"grace-" + Date.now() + "@example.com"'),
    ],
    body: { email: "{{ada_email}}" },
    store: { organization_id: "organization.id" },
  },
  { operationId: "getSession", session: "send" },
  {
    operationId: "verifyEmail",
    session: "receive",
    prerequest: emailedToken("verify_email_token", "ada_email", "verify-email"),
    body: { token: "{{verify_email_token}}" },
  },
  { operationId: "setUpMfa", session: "send", store: { mfa_secret: "secret" } },
  {
    operationId: "enableMfa",
    session: "send",
    prerequest: MFA_CODE,
    body: { code: "{{mfa_code}}" },
    store: { recovery_code: "recovery_codes[0]", second_recovery_code: "recovery_codes[1]" },
  },
  { operationId: "signOut", session: "send" },
  { operationId: "requestPasswordReset", session: "receive", body: { email: "{{ada_email}}" } },
  {
    operationId: "confirmPasswordReset",
    session: "receive",
    prerequest: emailedToken("password_reset_token", "ada_email", "reset-password"),
    body: { token: "{{password_reset_token}}" },
  },
  // MFA is on: the session waits for the second factor (mfa_required) until verifyMfa.
  { operationId: "signIn", session: "receive", body: { email: "{{ada_email}}" } },
  { operationId: "verifyMfa", session: "send", body: { code: "{{recovery_code}}" } },
  { operationId: "disableMfa", session: "send", body: { code: "{{second_recovery_code}}" } },
  {
    operationId: "switchOrganization",
    session: "send",
    body: { organization_id: "{{organization_id}}" },
  },
  { operationId: "getOrganization", session: "send" },
  { operationId: "updateOrganization", session: "send" },
  // Single sign-on needs an OpenID provider that answers discovery: {{oidc_issuer}}.
  {
    operationId: "createOidcConnection",
    session: "send",
    body: {
      issuer: "{{oidc_issuer}}",
      client_id: "{{oidc_client_id}}",
      client_secret: "{{oidc_client_secret}}",
    },
  },
  { operationId: "getOidcConnection", session: "send" },
  {
    operationId: "updateOidcConnection",
    session: "send",
    body: {
      issuer: "{{oidc_issuer}}",
      client_id: "{{oidc_client_id}}",
      client_secret: "{{oidc_client_secret}}",
      enabled: true,
    },
  },
  // The redirect is not followed: its Location is where a browser signs in at the provider.
  // Postman's cookie jar keeps the sign-in's cookie for the callback.
  {
    operationId: "startOidcSignIn",
    folder: "Organization",
    session: "receive",
    settings: { followRedirects: false, disableCookies: false },
    test: [
      "if (pm.response.code === 302) {",
      `  ${uniqueValue("oidc_authorize_url", 'pm.response.headers.get("Location")')}`,
      "}",
    ],
  },
  {
    operationId: "finishOidcSignIn",
    folder: BROWSER_FOLDER,
    session: "receive",
    // The provider's `iss` (RFC 9207) is its issuer: the connection's.
    query: { code: "{{oidc_code}}", state: "{{oidc_state}}", error: null, iss: "{{oidc_issuer}}" },
    settings: { followRedirects: false, disableCookies: false },
  },
  { operationId: "deleteOidcConnection", session: "send" },
  // Ada invites Grace, who accepts (signed out: a new account). Grace sees the members.
  { operationId: "createInvitation", session: "send", body: { email: "{{grace_email}}" } },
  { operationId: "listInvitations", session: "send" },
  { operationId: "revokeInvitation", session: "send", prerequest: INVITE_SOMEONE_TO_REVOKE },
  {
    operationId: "acceptInvitation",
    session: "receive",
    prerequest: [
      ...keepSessionOf("ada"),
      ...emailedToken("invitation_token", "grace_email", "accept-invitation"),
    ],
    body: { token: "{{invitation_token}}" },
  },
  { operationId: "listMembers", session: "send", test: STORE_MEMBER_IDS },
  // Ada makes a role of the organization's own, developer's rights and the audit log's, and
  // gives it to Grace.
  { operationId: "listRoles", session: "send", prerequest: actAs("ada", "grace") },
  {
    operationId: "createRole",
    session: "send",
    body: {
      description: "Developers who also read the audit log.",
      permissions: ["audit:read"],
      extends: "developer",
    },
    store: { role_id: "id", role_name: "name" },
  },
  { operationId: "getRole", session: "send" },
  {
    operationId: "updateRole",
    session: "send",
    body: { name: "{{role_name}}", description: "On call: developers who read the audit log." },
  },
  {
    operationId: "updateMember",
    session: "send",
    prerequest: [copyVariable("member_id", "grace_member_id")],
    body: { role: "{{role_name}}" },
  },
  // Ada hands the organization over to Grace and deletes the custom role, which nobody has any
  // more (Grace is an owner now; a role in use answers 409 invalid_state). Grace removes Ada,
  // cannot leave (an organization keeps an owner) and deletes it: the end of the people part.
  {
    operationId: "transferOwnership",
    folder: HANDOVER_FOLDER,
    session: "send",
    body: { member_id: "{{grace_member_id}}" },
  },
  { operationId: "deleteRole", folder: HANDOVER_FOLDER, session: "send" },
  {
    operationId: "removeMember",
    folder: HANDOVER_FOLDER,
    session: "send",
    prerequest: [...actAs("grace", "ada"), copyVariable("member_id", "ada_member_id")],
  },
  {
    operationId: "leaveOrganization",
    folder: HANDOVER_FOLDER,
    session: "send",
    refusal: { status: 409, name: "invalid_state", because: "Grace is its last owner" },
  },
  { operationId: "deleteOrganization", folder: HANDOVER_FOLDER, session: "send" },
  { operationId: "streamEvents", folder: ENDLESS_FOLDER },
];

/**
 * The collection variable a path parameter takes, by the path up to that parameter: what a
 * create request stored. An unknown path parameter fails the generation.
 */
export const PATH_VARIABLES: Record<string, string> = {
  "/emails/{id}": "email_id",
  "/api-keys/{id}": "api_key_id",
  "/domains/{id}": "domain_id",
  "/suppressions/{id_or_email}": "suppression_email",
  "/providers/{id}": "provider_id",
  "/webhooks/{id}": "webhook_id",
  "/webhooks/{id}/events/{event_id}": "event_id",
  "/auth/oidc/{org}": "organization_id",
  "/members/{id}": "member_id",
  "/invitations/{id}": "invitation_id",
  "/roles/{id}": "role_id",
};

/** Collection variables and their defaults; the environment file overrides the first two. */
export const COLLECTION_VARIABLES: Record<string, string> = {
  base_url: "http://localhost:3000",
  api_key: "",
  // Where the run's webhook sends its test event: a receiver you control (plain http only to
  // the installation's SSRF_ALLOW networks, such as 127.0.0.1 in `pnpm dev`).
  webhook_endpoint: "https://example.com/webhooks/thrive",
  // Set by the run when it turns request signing on (rotateRequestSigningSecret).
  signing_secret: "",
  // The session the people requests send (Cookie, X-CSRF-Token): set by the run from the
  // cookies of sign-up, sign-in and the rest.
  session_cookie: "",
  csrf_token: "",
  // Single sign-on's OpenID provider: one you control, which answers discovery at
  // <issuer>/.well-known/openid-configuration and knows this client (plain http only in
  // development). The example values do not answer.
  oidc_issuer: "https://idp.acme.dev",
  oidc_client_id: "thrive-send",
  oidc_client_secret: "s3cr3t-from-the-provider",
  // By hand: the `code` and `state` of the URL the provider sent the browser back to.
  oidc_code: "",
  oidc_state: "",
};
