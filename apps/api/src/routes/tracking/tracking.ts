import type { Context } from "hono";
import type { App, AppEnv } from "../../lib/app-env.ts";
import { clientIp } from "../../lib/client-ip.ts";
import { classifyTrackingRequest } from "../../lib/machine-activity.ts";
import { recordEngagement } from "../../services/tracking/record-engagement.ts";
import { page } from "./page.ts";
import { NO_STORE, TRANSPARENT_GIF } from "./pixel.ts";

/**
 * Open and click tracking (not in the spec: these are for mail clients, not API callers).
 * Tokens are signed (mail/tracking-tokens.ts): an open counts only for the email and recipient
 * it was made for, and a click redirects only to the URL it was made for.
 */
export function registerTracking(app: App): void {
  app.get("/t/o/:token", async (c) => {
    const token = c.var.deps.trackingTokens.readOpen(c.req.param("token"));
    // Over its address's limit, an open still gets its image but is not recorded.
    if (token && !c.var.overIpLimit) {
      await record(c, "opened", token, {}).catch((error: unknown) =>
        c.var.deps.logger.warn({ err: error }, "could not record an open"),
      );
    }
    return c.body(new Uint8Array(TRANSPARENT_GIF), 200, {
      "content-type": "image/gif",
      ...NO_STORE,
    });
  });

  app.get("/t/c/:token", async (c) => {
    const token = c.var.deps.trackingTokens.readClick(c.req.param("token"));
    if (!token) {
      return c.html(
        page("Link not found", "This link is not valid. Check that it was copied whole."),
        404,
      );
    }
    // The redirect never waits on a failed write: the reader gets where they were going.
    if (c.var.overIpLimit) return c.redirect(token.url, 302);
    await record(c, "clicked", token, { link: token.url }).catch((error: unknown) =>
      c.var.deps.logger.warn({ err: error }, "could not record a click"),
    );
    return c.redirect(token.url, 302);
  });
}

function record(
  c: Context<AppEnv>,
  type: "opened" | "clicked",
  token: { emailId: string; recipient: number },
  details: Record<string, unknown>,
): Promise<boolean> {
  const userAgent = c.req.header("user-agent") ?? null;
  const ip = clientIp(c);
  return recordEngagement(c.var.deps.database.db, {
    emailId: token.emailId,
    recipient: token.recipient,
    type,
    details: { ...details, user_agent: userAgent, ip },
    classify: (secondsSinceSent) =>
      classifyTrackingRequest({
        kind: type === "opened" ? "open" : "click",
        userAgent,
        ip,
        method: c.req.method,
        secondsSinceSent,
      }),
  });
}
