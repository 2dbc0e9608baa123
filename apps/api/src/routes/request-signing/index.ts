import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App, AppEnv } from "../../lib/app-env.ts";
import { auditOrigin } from "../../lib/audit-origin.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import {
  disableRequestSigning,
  getRequestSigning,
  rotateRequestSigningSecret,
} from "../../services/request-signing/request-signing.ts";
import { RequestSigningSchema, RequestSigningSecretSchema } from "./schema.ts";

const HOW =
  'Signed requests carry `X-Thrive-Timestamp` (Unix seconds) and `X-Thrive-Signature: v1=<hex HMAC-SHA256(secret, METHOD + "\\n" + path?query + "\\n" + timestamp + "\\n" + hex SHA-256(body))>`; a timestamp more than 5 minutes from the server\'s clock, or a request already received, is refused with 401 `invalid_request_signature`. A change takes effect at once on the server that made it, within 10 seconds on the others.';

const tags = ["Request signing"];

const getRoute = createRoute({
  method: "get",
  path: "/request-signing",
  operationId: "getRequestSigning",
  tags,
  summary: "Show whether requests must be signed",
  description: `Whether the organization requires every API request to be signed with its secret. ${HOW}`,
  ...requires("api_keys:read"),
  responses: {
    200: {
      description: "The setting.",
      content: { "application/json": { schema: RequestSigningSchema } },
    },
    ...errorResponses("restricted_api_key"),
  },
});

const rotateRoute = createRoute({
  method: "post",
  path: "/request-signing/rotate",
  operationId: "rotateRequestSigningSecret",
  tags,
  summary: "Require signed requests, with a new secret",
  description: `Turns request signing on, or gives it a new secret, answered this once. The previous secret, if any, is still accepted for 24 hours. ${HOW}`,
  ...requires("api_keys:write"),
  responses: {
    200: {
      description: "The setting and the new secret.",
      content: { "application/json": { schema: RequestSigningSecretSchema } },
    },
    ...errorResponses("restricted_api_key"),
  },
});

const disableRoute = createRoute({
  method: "delete",
  path: "/request-signing",
  operationId: "disableRequestSigning",
  tags,
  summary: "Stop requiring signed requests",
  description: "Requests no longer need a signature; the secrets are deleted.",
  ...requires("api_keys:write"),
  responses: {
    200: {
      description: "The setting, now off.",
      content: { "application/json": { schema: RequestSigningSchema } },
    },
    ...errorResponses("restricted_api_key"),
  },
});

function signingContext(c: Context<AppEnv>) {
  const { deps, principal } = c.var;
  return {
    db: deps.database.db,
    orgId: principal.orgId,
    secrets: deps.secrets,
    audit: auditOrigin(c),
  };
}

export function registerRequestSigningRoutes(app: App): void {
  app.openapi(getRoute, async (c) =>
    c.json(await getRequestSigning({ ctx: signingContext(c) }), 200),
  );
  app.openapi(rotateRoute, async (c) => {
    const result = await rotateRequestSigningSecret({ ctx: signingContext(c) });
    c.var.deps.authenticator.forgetOrganization(c.var.principal.orgId);
    return c.json(result, 200);
  });
  app.openapi(disableRoute, async (c) => {
    const result = await disableRequestSigning({ ctx: signingContext(c) });
    c.var.deps.authenticator.forgetOrganization(c.var.principal.orgId);
    return c.json(result, 200);
  });
}
