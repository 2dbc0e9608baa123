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
 * what the path serves, and HSTS when the API is served over HTTPS (PUBLIC_URL). A route that
 * sets its own Content-Security-Policy (the dev inbox preview) replaces this one. No
 * Cross-Origin-Resource-Policy: mail clients load the open pixel from other origins.
 *
 * Everything is decided from the path and set with c.header() before the handler runs: the
 * headers join the answer as it is built. Reading or changing c.res.headers afterwards makes
 * @hono/node-server give up its fast path for every answer (13% of single-send throughput,
 * bench:accept).
 */
export function securityHeaders(options: { hsts: boolean }) {
  return createMiddleware<AppEnv>(async (c, next) => {
    c.header("x-content-type-options", "nosniff");
    c.header("referrer-policy", "no-referrer");
    c.header("x-frame-options", "DENY");
    if (options.hsts) c.header("strict-transport-security", "max-age=63072000; includeSubDomains");
    c.header(
      "content-security-policy",
      cspFor(c.req.path, (nonce) => c.set("cspNonce", nonce)),
    );
    await next();
  });
}

/** Our HTML pages live under these paths; everything else answers JSON, images or CSV. */
const PAGE_PREFIXES = ["/t/", "/unsubscribe"];

function cspFor(path: string, setNonce: (nonce: string) => void): string {
  if (path === "/docs") {
    const nonce = randomBytes(16).toString("base64");
    setNonce(nonce);
    return docsCsp(nonce);
  }
  if (path.startsWith("/docs-portal/")) return PORTAL_CSP;
  if (PAGE_PREFIXES.some((prefix) => path.startsWith(prefix))) return PAGE_CSP;
  return API_CSP;
}
