import { createRoute, z } from "@hono/zod-openapi";
import { setCookie } from "hono/cookie";
import type { App } from "../../lib/app-env.ts";
import { publicErrorResponses } from "../../lib/route.ts";
import { cookieNames } from "../../lib/session-cookie.ts";
import { startOidcLogin } from "../../services/oidc/oidc-login.ts";
import { oidcLoginContext } from "./oidc-context.ts";
import { OrgParamSchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/auth/oidc/{org}/start",
  operationId: "startOidcSignIn",
  tags: ["Auth"],
  summary: "Start single sign-on",
  description:
    "Redirects the browser to the organization's OpenID Connect provider (authorization code flow with PKCE, state and nonce). The provider sends it back to GET /auth/oidc/callback.",
  request: { params: OrgParamSchema },
  responses: {
    302: {
      description: "To the provider.",
      headers: z.object({
        Location: z.string().openapi({ example: "https://idp.acme.dev/authorize?..." }),
      }),
    },
    ...publicErrorResponses("validation_error", "not_found", "sso_failed"),
  },
});

export const registerAuthOidcStart = (app: App) =>
  app.openapi(route, async (c) => {
    const ctx = oidcLoginContext(c);
    const login = await startOidcLogin({ ctx, orgId: c.req.valid("param").org });
    const settings = c.var.deps.config.identity;
    // Lax: sent back on the provider's top-level redirect to the callback, not on subrequests.
    setCookie(c, cookieNames(settings).oidc, login.cookie, {
      path: "/",
      httpOnly: true,
      secure: settings.secureCookies,
      sameSite: "Lax",
      maxAge: login.maxAgeSeconds,
    });
    return c.redirect(login.url, 302);
  });
