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
  /** Collection variables set from the JSON response: variable → response field. */
  store?: Record<string, string>;
  /** A folder other than the operation's tag. */
  folder?: string;
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
};
