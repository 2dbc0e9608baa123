import type { Context } from "hono";
import type { AppEnv } from "./app-env.ts";

/**
 * The client's address: the socket's peer, or (TRUST_PROXY, behind a reverse proxy that sets
 * it) the first X-Forwarded-For entry. Without TRUST_PROXY the header is ignored: anyone can
 * send one.
 */
export function clientIp(c: Context<AppEnv>): string | null {
  if (c.var.deps.config.trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return c.env?.incoming?.socket.remoteAddress ?? null;
}
