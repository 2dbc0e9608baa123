import type { App } from "./app-env.ts";
import { addCodeSamples } from "./code-samples/index.ts";
import type { OpenApiDocumentLike } from "./code-samples/openapi-types.ts";
import { PERMISSIONS } from "./permissions.ts";

export const OPENAPI_INFO = {
  title: "Thrive-Send API",
  version: "0.1.0",
  description: [
    "Thrive-Send is an open-source, self-hostable email platform with a Resend-compatible API:",
    "the official Resend SDKs work against it with only their base URL changed.",
    "",
    "Authenticate with `Authorization: Bearer <API key>`. Errors share one shape,",
    '`{"statusCode", "name", "message", "request_id"}`, with Resend\'s error names.',
    "No text may contain a NUL character (U+0000, `%00` in a URL): such a request is a 422.",
    `Each operation names the permission it needs in \`x-permission\` (${PERMISSIONS.join(", ")});`,
    "`full_access` keys have them all but the organization's and its members' (people only),",
    "`sending_access` keys only `emails:send`, keys created with `permissions` those; members of",
    "the console have their role's: a built-in role's or a custom one's (GET /roles).",
  ].join("\n"),
  license: { name: "MIT", identifier: "MIT" },
};

export function registerSecurityScheme(app: App): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An API key, created with POST /api-keys (or printed by `pnpm dev`).",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "sessionCookie", {
    type: "apiKey",
    in: "cookie",
    name: "__Host-thrive_session",
    description:
      "The console's session (POST /auth/sign-in), `thrive_session` when PUBLIC_URL is plain http. Changes (POST, PATCH, DELETE) also need the `X-CSRF-Token` header: the session's `csrf_token`.",
  });
}

/**
 * The OpenAPI 3.1 document, as served at /openapi.json and checked in as openapi/openapi.json,
 * with a cURL, TypeScript and Python sample on each operation (x-codeSamples).
 */
export function openApiDocument(app: App) {
  const document = app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: OPENAPI_INFO,
    servers: [{ url: "http://localhost:3000", description: "Local (pnpm dev)" }],
  });
  addCodeSamples(document as OpenApiDocumentLike);
  return document;
}
