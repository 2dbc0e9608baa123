import type { MiddlewareHandler } from "hono";
import type { App, AppEnv } from "./app-env.ts";
import { AppError } from "./errors.ts";
import { errorResponse } from "./http-errors.ts";

interface RoutePattern {
  regex: RegExp;
  /** Literal segments: `/emails/batch` is more specific than `/emails/:id` for the same path. */
  literals: number;
  methods: Set<string>;
}

/**
 * Answers a method the path has no route for with 405 and `Allow` (RFC 9110), and OPTIONS
 * with 204 and `Allow`, before authentication: a client can tell a wrong method from a wrong
 * URL, and `DELETE /invitations/accept` is not taken for `DELETE /invitations/{id}` (a path
 * is the resource its most literal route names). Unknown paths go on to the 404.
 */
export function methodNotAllowed(app: App): MiddlewareHandler<AppEnv> {
  const methodsAt = allowedMethods(app);
  return async (c, next) => {
    const allowed = methodsAt(c.req.path);
    if (allowed.length === 0 || allowed.includes(c.req.method)) return next();
    const allow = [...allowed, "OPTIONS"].join(", ");
    if (c.req.method === "OPTIONS") return c.body(null, 204, { Allow: allow });
    const error = new AppError(
      "method_not_allowed",
      `${c.req.method} is not allowed on ${c.req.path}; it allows ${allow}`,
    );
    error.headers = { Allow: allow };
    return errorResponse(c, error);
  };
}

/** The methods the app has a route for at a path; built on first use, once routes are in. */
export function allowedMethods(app: App): (path: string) => string[] {
  let byFirstSegment: Map<string, RoutePattern[]> | undefined;
  return (path) => {
    byFirstSegment ??= routePatterns(app);
    // Every route of the API starts with a literal segment: only those of the path's are tried.
    const candidates = byFirstSegment.get(path.split("/", 2)[1] ?? "") ?? [];
    const matching = candidates.filter((pattern) => pattern.regex.test(path));
    const best = Math.max(-1, ...matching.map((pattern) => pattern.literals));
    const methods = new Set<string>();
    for (const pattern of matching) {
      if (pattern.literals === best) for (const method of pattern.methods) methods.add(method);
    }
    // Hono answers HEAD with the GET route.
    if (methods.has("GET")) methods.add("HEAD");
    return [...methods];
  };
}

function routePatterns(app: App): Map<string, RoutePattern[]> {
  const byPath = new Map<string, RoutePattern & { first: string }>();
  for (const route of app.routes) {
    // Middleware (app.use) is registered as ALL: it answers nothing by itself.
    if (route.method === "ALL") continue;
    let pattern = byPath.get(route.path);
    if (!pattern) {
      const segments = route.path.split("/").filter(Boolean);
      pattern = {
        first: segments[0] ?? "",
        regex: new RegExp(`^/${segments.map(segmentRegex).join("/")}$`),
        literals: segments.filter((segment) => !segment.startsWith(":") && segment !== "*").length,
        methods: new Set(),
      };
      byPath.set(route.path, pattern);
    }
    pattern.methods.add(route.method.toUpperCase());
  }
  const byFirstSegment = new Map<string, RoutePattern[]>();
  for (const pattern of byPath.values()) {
    byFirstSegment.set(pattern.first, [...(byFirstSegment.get(pattern.first) ?? []), pattern]);
  }
  return byFirstSegment;
}

function segmentRegex(segment: string): string {
  if (segment === "*") return ".*";
  if (segment.startsWith(":")) return "[^/]+";
  return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
