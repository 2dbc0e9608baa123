import { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import type { ApiDeps } from "./deps.ts";
import type { App, AppEnv } from "./lib/app-env.ts";
import { AppError } from "./lib/errors.ts";
import { errorResponse, fromHttpException, zodToAppError } from "./lib/http-errors.ts";
import { newId } from "./lib/ids.ts";
import { openApiDocument, registerSecurityScheme } from "./lib/openapi-document.ts";
import { jsonBody } from "./lib/request-body.ts";
import { requestLog } from "./lib/request-log.ts";
import { registerApiKeyRoutes } from "./routes/api-keys/index.ts";
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
import { registerSuppressionRoutes } from "./routes/suppressions/index.ts";
import { registerHealth } from "./routes/system/health.ts";
import { registerReady } from "./routes/system/ready.ts";
import { registerTracking } from "./routes/tracking/tracking.ts";
import { registerUnsubscribe } from "./routes/tracking/unsubscribe.ts";
import { registerWebhookRoutes } from "./routes/webhooks/index.ts";

/** The HTTP API: every route, the shared error handling, the spec and its reference. */
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
  app.use(requestLog);
  app.use(jsonBody(deps.config.maxBodyBytes));

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
  registerInvitationRoutes(app);
  if (deps.devInbox) registerDevInbox(app, deps.devInbox);

  app.get("/openapi.json", (c) => c.json(openApiDocument(app)));
  app.get("/docs", Scalar({ url: "/openapi.json", pageTitle: "Thrive-Send API reference" }));
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
