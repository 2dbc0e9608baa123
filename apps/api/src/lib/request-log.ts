import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env.ts";

/** One structured line per request: never headers, bodies or keys. */
export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = performance.now();
  await next();
  const { logger } = c.var.deps;
  const status = c.res.status;
  const line = {
    request_id: c.var.requestId,
    method: c.req.method,
    path: c.req.path,
    status,
    duration_ms: Math.round((performance.now() - started) * 100) / 100,
    org_id: c.var.principal?.orgId,
  };
  if (status >= 500) logger.error(line, "request");
  else logger.info(line, "request");
});
