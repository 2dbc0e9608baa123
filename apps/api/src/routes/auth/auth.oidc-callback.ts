import { createRoute, z } from "@hono/zod-openapi";
import { deleteCookie, getCookie } from "hono/cookie";
import type { App } from "../../lib/app-env.ts";
import { publicErrorResponses } from "../../lib/route.ts";
import { cookieNames, csrfTokenFor, setSessionCookies } from "../../lib/session-cookie.ts";
import { finishOidcLogin } from "../../services/oidc/oidc-login.ts";
import { oidcLoginContext } from "./oidc-context.ts";
import { CallbackQuerySchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/auth/oidc/callback",
  operationId: "finishOidcSignIn",
  tags: ["Auth"],
  summary: "Single sign-on callback",
  description:
    "Where the provider sends the browser back. Checks state, nonce and PKCE, signs the person in (creating their account and membership with the connection's default role on their first sign-in, when their email's domain is allowed) and redirects to the console.",
  request: { query: CallbackQuerySchema },
  responses: {
    302: {
      description: "Signed in: to the console, with the session cookies.",
      headers: z.object({ Location: z.string().openapi({ example: "https://mail.acme.dev/" }) }),
    },
    ...publicErrorResponses("validation_error", "sso_failed", "forbidden"),
  },
});

export const registerAuthOidcCallback = (app: App) =>
  app.openapi(route, async (c) => {
    const ctx = oidcLoginContext(c);
    const { deps } = c.var;
    const settings = deps.config.identity;
    const name = cookieNames(settings).oidc;
    const sealed = getCookie(c, name);
    deleteCookie(c, name, { path: "/", secure: settings.secureCookies });
    const query = c.req.valid("query");
    // openid-client reads the whole response from the URL (code, state, iss...).
    const callbackUrl = new URL(ctx.redirectUri);
    callbackUrl.search = new URL(c.req.url).search;
    const session = await finishOidcLogin({
      ctx,
      callbackUrl,
      sealedPending: sealed,
      providerError: query.error,
    });
    setSessionCookies(c, {
      token: session.token,
      csrfToken: csrfTokenFor(deps.csrfKey, session.id),
      absoluteExpiresAt: session.absoluteExpiresAt,
      now: ctx.now,
    });
    return c.redirect(`${deps.config.publicUrl}/`, 302);
  });
