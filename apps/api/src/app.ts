import { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import type { Context } from "hono";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import type { ApiDeps } from "./deps.ts";
import { methodNotAllowed } from "./lib/allowed-methods.ts";
import type { App, AppEnv } from "./lib/app-env.ts";
import { AppError } from "./lib/errors.ts";
import { errorResponse, fromHttpException, zodToAppError } from "./lib/http-errors.ts";
import { newId } from "./lib/ids.ts";
import { limitByIp } from "./lib/ip-rate-limit.ts";
import { refuseNulInUrl } from "./lib/nul-characters.ts";
import { openApiDocument, registerSecurityScheme } from "./lib/openapi-document.ts";
import { jsonBody } from "./lib/request-body.ts";
import { requestLog } from "./lib/request-log.ts";
import { securityHeaders } from "./lib/security-headers.ts";
import { registerApiKeyRoutes } from "./routes/api-keys/index.ts";
import { registerAuditLogRoutes } from "./routes/audit-logs/index.ts";
import { registerAuthRoutes } from "./routes/auth/index.ts";
import { registerDocsPortal } from "./routes/dev/docs-portal.ts";
import { registerDevInbox } from "./routes/dev/inbox.ts";
import { registerDomainRoutes } from "./routes/domains/index.ts";
import { registerEmailRoutes } from "./routes/emails/index.ts";
import { registerEventRoutes } from "./routes/events/index.ts";
import { registerSesNotifications } from "./routes/feedback/ses-notifications.ts";
import { registerInvitationRoutes } from "./routes/invitations/index.ts";
import { registerMemberRoutes } from "./routes/members/index.ts";
import { registerOrganizationRoutes } from "./routes/organization/index.ts";
import { registerProviderRoutes } from "./routes/providers/index.ts";
import { registerReputationRoutes } from "./routes/reputation/index.ts";
import { registerRequestSigningRoutes } from "./routes/request-signing/index.ts";
import { registerRoleRoutes } from "./routes/roles/index.ts";
import { registerSuppressionRoutes } from "./routes/suppressions/index.ts";
import { registerHealth } from "./routes/system/health.ts";
import { registerReady } from "./routes/system/ready.ts";
import { registerTracking } from "./routes/tracking/tracking.ts";
import { registerUnsubscribe } from "./routes/tracking/unsubscribe.ts";
import { registerUsageRoutes } from "./routes/usage/index.ts";
import { registerWebhookRoutes } from "./routes/webhooks/index.ts";

/** The HTTP API: every route, the shared error handling, the spec and its reference. */
/** The operations open to anyone that check a secret: each address gets few tries a minute. */
const SIGN_IN_PATHS = [
  "/auth/sign-in",
  "/auth/sign-up",
  "/auth/password-reset",
  "/auth/password-reset/confirm",
  "/auth/verify-email",
  "/auth/mfa/verify",
  "/invitations/accept",
];

export function newApp(deps: ApiDeps): App {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return errorResponse(c, zodToAppError(result.error));
    },
  });

  app.use(requestId({ generator: newId }));
  app.use(async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.use(securityHeaders({ hsts: deps.config.publicUrl.startsWith("https:") }));
  // Browsers of these origins may call the API; without CORS_ORIGINS no CORS header is sent.
  if (deps.config.corsOrigins.length > 0) {
    const allowed = new Set(deps.config.corsOrigins);
    app.use(
      cors({
        origin: (origin) => (allowed.has(origin) ? origin : null),
        allowMethods: ["GET", "POST", "PATCH", "PUT", "DELETE"],
        allowHeaders: [
          "authorization",
          "content-type",
          "idempotency-key",
          "x-batch-validation",
          "x-thrive-timestamp",
          "x-thrive-signature",
        ],
        exposeHeaders: [
          "ratelimit-limit",
          "ratelimit-remaining",
          "ratelimit-reset",
          "ratelimit-policy",
          "ratelimit",
          "retry-after",
          "idempotent-replayed",
        ],
        maxAge: 600,
      }),
    );
  }
  app.use(requestLog);
  app.use(methodNotAllowed(app));
  app.use(refuseNulInUrl);
  app.use(jsonBody(deps.config.maxBodyBytes));
  // Endpoints without an API key are limited per client address (RATE_LIMIT_PER_IP). Tracking
  // still answers over the limit (a click must reach its link) but records nothing.
  app.use("/t/*", limitByIp("public", "flag"));
  app.use("/unsubscribe/*", limitByIp("public"));
  app.use("/feedback/ses", limitByIp("public"));
  // Guessing passwords, codes and tokens is limited per address on top of the accounts' lockout.
  for (const path of SIGN_IN_PATHS) app.use(path, limitByIp("sign_in"));
  app.use("/auth/oidc/*", limitByIp("public"));

  registerSecurityScheme(app);
  registerHealth(app);
  registerReady(app);
  registerEmailRoutes(app);
  registerApiKeyRoutes(app);
  registerDomainRoutes(app);
  registerSuppressionRoutes(app);
  registerTracking(app);
  registerUnsubscribe(app);
  registerSesNotifications(app);
  registerReputationRoutes(app);
  registerProviderRoutes(app);
  registerWebhookRoutes(app);
  registerEventRoutes(app);
  registerAuthRoutes(app);
  registerOrganizationRoutes(app);
  registerMemberRoutes(app);
  registerRoleRoutes(app);
  registerInvitationRoutes(app);
  registerAuditLogRoutes(app);
  registerUsageRoutes(app);
  registerRequestSigningRoutes(app);
  if (deps.devInbox) registerDevInbox(app, deps.devInbox);

  app.get("/openapi.json", (c) => c.json(openApiDocument(app)));
  // Scalar's scripts carry this request's CSP nonce (lib/security-headers.ts).
  app.get("/docs", (c, next) => {
    const reference = Scalar({
      url: "/openapi.json",
      pageTitle: "Thrive-Send API reference",
      nonce: c.var.cspNonce,
    });
    // Scalar's handler is typed for Hono's default Env; it reads nothing of ours.
    return reference(c as unknown as Context, next);
  });

  // The full docs portal (guides, samples, an offline reference), as `pnpm dev` builds it.
  if (deps.config.mode === "development") registerDocsPortal(app);

  app.notFound((c) =>
    errorResponse(c, new AppError("not_found", `No route for ${c.req.method} ${c.req.path}`)),
  );
  app.onError((error, c) => {
    if (error instanceof AppError) return errorResponse(c, error);
    if (error instanceof HTTPException) return errorResponse(c, fromHttpException(error));
    deps.logger.error({ err: error, request_id: c.var.requestId }, "unhandled error");
    return errorResponse(
      c,
      new AppError(
        "internal_server_error",
        "Something went wrong on our side; the request id helps us find out what",
      ),
    );
  });
  return app;
}
