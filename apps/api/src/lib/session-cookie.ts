import { createHmac, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { IdentitySettings } from "../config.ts";
import type { AppEnv } from "./app-env.ts";

/**
 * The console's cookies. Over https (PUBLIC_URL) they are `__Host-` prefixed and Secure: the
 * browser then refuses them from any other origin or path, and never sends them in clear. Over
 * plain http (`pnpm dev` on localhost) browsers reject both, so they are neither there.
 */
export function cookieNames(settings: Pick<IdentitySettings, "secureCookies">) {
  const prefix = settings.secureCookies ? "__Host-" : "";
  return {
    session: `${prefix}thrive_session`,
    csrf: `${prefix}thrive_csrf`,
    oidc: `${prefix}thrive_oidc`,
  };
}

type CookieContext = Context<AppEnv>;

const settingsOf = (c: CookieContext) => c.var.deps.config.identity;

export function readSessionCookie(c: CookieContext): string | undefined {
  return getCookie(c, cookieNames(settingsOf(c)).session) || undefined;
}

/**
 * The session cookie (HttpOnly: scripts never see the token) and the CSRF cookie beside it
 * (readable by the console's script, which echoes it in X-CSRF-Token). Both last until the
 * session's absolute expiry; SameSite=Lax keeps them off cross-site subrequests and posts.
 */
export function setSessionCookies(
  c: CookieContext,
  session: { token: string; csrfToken: string; absoluteExpiresAt: Date; now: Date },
): void {
  const settings = settingsOf(c);
  const names = cookieNames(settings);
  const maxAge = Math.max(
    1,
    Math.floor((session.absoluteExpiresAt.getTime() - session.now.getTime()) / 1000),
  );
  const common = { path: "/", secure: settings.secureCookies, sameSite: "Lax", maxAge } as const;
  setCookie(c, names.session, session.token, { ...common, httpOnly: true });
  setCookie(c, names.csrf, session.csrfToken, { ...common, httpOnly: false });
}

export function clearSessionCookies(c: CookieContext): void {
  const settings = settingsOf(c);
  const names = cookieNames(settings);
  const options = { path: "/", secure: settings.secureCookies } as const;
  deleteCookie(c, names.session, options);
  deleteCookie(c, names.csrf, options);
}

/**
 * The CSRF token of a session: an HMAC of its id, so it needs no storage, changes whenever the
 * session is rotated, and cannot be made without the server's key. A cross-site page can make
 * the browser send the cookies, but cannot read this token, so cannot put it in the header.
 */
export function csrfTokenFor(key: Buffer, sessionId: string): string {
  return createHmac("sha256", key).update(`csrf:${sessionId}`).digest("base64url");
}

export function csrfTokenMatches(key: Buffer, sessionId: string, given: string | undefined) {
  if (!given) return false;
  const expected = Buffer.from(csrfTokenFor(key, sessionId));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export const CSRF_HEADER = "x-csrf-token";

export function isSafeMethod(method: string): boolean {
  return method === "GET" || method === "HEAD" || method === "OPTIONS";
}
