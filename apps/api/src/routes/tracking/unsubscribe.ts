import { html } from "hono/html";
import type { App } from "../../lib/app-env.ts";
import { trackedRecipient } from "../../services/tracking/record-engagement.ts";
import { unsubscribeRecipient } from "../../services/tracking/unsubscribe-recipient.ts";
import { page } from "./page.ts";
import { NO_STORE } from "./pixel.ts";

const NOT_FOUND = () =>
  page("Link not found", "This unsubscribe link is not valid. Check that it was copied whole.");

/**
 * One-click unsubscribe (RFC 8058). The mail client POSTs `List-Unsubscribe=One-Click` to the
 * List-Unsubscribe URL: no authentication, no redirect, the recipient is suppressed. A GET (a
 * person opening the link, or a link scanner fetching it) only shows a confirmation page whose
 * button POSTs: fetching the URL must never unsubscribe anyone.
 */
export function registerUnsubscribe(app: App): void {
  app.get("/unsubscribe/:token", async (c) => {
    const token = c.var.deps.trackingTokens.readUnsubscribe(c.req.param("token"));
    const target =
      token && (await trackedRecipient(c.var.deps.database.db, token.emailId, token.recipient));
    if (!target) return c.html(NOT_FOUND(), 404, NO_STORE);
    return c.html(
      page(
        "Unsubscribe",
        html`<p>Stop sending email to <strong>${target.address}</strong> from this sender?</p>
<form method="post"><button type="submit">Unsubscribe</button></form>`,
      ),
      200,
      NO_STORE,
    );
  });

  app.post("/unsubscribe/:token", async (c) => {
    const token = c.var.deps.trackingTokens.readUnsubscribe(c.req.param("token"));
    const contentType = c.req.header("content-type") ?? "";
    const oneClick = contentType.includes("application/x-www-form-urlencoded")
      ? (await c.req.text()).includes("List-Unsubscribe=One-Click")
      : false;
    const address =
      token &&
      (await unsubscribeRecipient(c.var.deps.database.db, {
        emailId: token.emailId,
        recipient: token.recipient,
        via: oneClick ? "one-click" : "form",
        userAgent: c.req.header("user-agent") ?? null,
      }));
    if (!address) return c.html(NOT_FOUND(), 404, NO_STORE);
    return c.html(
      page(
        "Unsubscribed",
        html`<p><strong>${address}</strong> will not receive email from this sender any more.</p>`,
      ),
      200,
      NO_STORE,
    );
  });
}
