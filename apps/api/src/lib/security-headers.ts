import { randomBytes } from "node:crypto";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env.ts";

/**
 * Content-Security-Policy of each kind of answer. API answers (JSON, images, CSV) may load
 * nothing and be framed by nobody. Our own HTML pages (tracking, unsubscribe) load nothing
 * but their inline style. The API reference at /docs loads Scalar from its CDN with a nonce
 * (no script of anyone else runs) and its fonts; the docs portal is our own static build
 * (dev mode), whose inline initialization script needs 'unsafe-inline'. Styles are
 * 'unsafe-inline' where Scalar injects them at run time.
 */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const SCALAR_CDN = "https://cdn.jsdelivr.net";
const SCALAR_FONTS = "https://fonts.scalar.com";
const docsCsp = (nonce: string) =>
  `default-src 'self'; script-src 'nonce-${nonce}' ${SCALAR_CDN}; style-src 'self' 'unsafe-inline' ${SCALAR_FONTS}; font-src 'self' data: ${SCALAR_FONTS}; img-src 'self' data: blob: https:; connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;
const PORTAL_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/**
 * Security headers on every answer: no MIME sniffing, no referrer, no framing, a CSP fitted to
 * what the answer is, and HSTS when the API is served over HTTPS (PUBLIC_URL). A route that
 * sets its own Content-Security-Policy (the dev inbox preview) keeps it. No
 * Cross-Origin-Resource-Policy: mail clients load the open pixel from other origins.
 */
export function securityHeaders(options: { hsts: boolean }) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const path = c.req.path;
    const isDocs = path === "/docs";
    if (isDocs) c.set("cspNonce", randomBytes(16).toString("base64"));
    await next();
    const headers = c.res.headers;
    headers.set("x-content-type-options", "nosniff");
    headers.set("referrer-policy", "no-referrer");
    if (!headers.has("x-frame-options")) headers.set("x-frame-options", "DENY");
    if (options.hsts)
      headers.set("strict-transport-security", "max-age=63072000; includeSubDomains");
    if (headers.has("content-security-policy")) return;
    const html = headers.get("content-type")?.startsWith("text/html") ?? false;
    const nonce = c.get("cspNonce");
    headers.set(
      "content-security-policy",
      !html
        ? API_CSP
        : isDocs && nonce
          ? docsCsp(nonce)
          : path.startsWith("/docs-portal/")
            ? PORTAL_CSP
            : PAGE_CSP,
    );
  });
}
