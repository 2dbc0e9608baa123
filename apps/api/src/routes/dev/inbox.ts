import { simpleParser } from "mailparser";
import type { App } from "../../lib/app-env.ts";
import { AppError } from "../../lib/errors.ts";
import { PREVIEW_CSP, sanitizeEmailHtml } from "../../lib/sanitize-email-html.ts";
import type { CaughtMessage, MailCatcher } from "../../mail/catcher.ts";

/**
 * Dev mode only: what the in-process mail catcher received. Not in the spec, not registered
 * in production.
 */
export function registerDevInbox(app: App, catcher: MailCatcher): void {
  app.get("/dev/inbox", async (c) => {
    const messages = [...catcher.messages].reverse();
    const data = await Promise.all(messages.map(summary));
    return c.json({ object: "list", data, has_more: false });
  });

  app.get("/dev/inbox/:id{[0-9]+}", async (c) => {
    const message = catcher.find(Number(c.req.param("id")));
    if (!message) throw new AppError("not_found", "Message not found");
    const parsed = await simpleParser(message.raw);
    return c.json({
      ...(await summary(message)),
      text: parsed.text ?? null,
      html: parsed.html || null,
      headers: Object.fromEntries(
        parsed.headerLines.map(({ key, line }) => [key, line.slice(key.length + 1).trim()]),
      ),
      attachments: parsed.attachments.map((attachment) => ({
        filename: attachment.filename ?? null,
        content_type: attachment.contentType,
        content_id: attachment.cid ?? null,
        size: attachment.size,
      })),
    });
  });

  // The message's HTML as a page, sanitized and sandboxed: the one place it is rendered.
  app.get("/dev/inbox/:id{[0-9]+}/preview", async (c) => {
    const message = catcher.find(Number(c.req.param("id")));
    if (!message) throw new AppError("not_found", "Message not found");
    const parsed = await simpleParser(message.raw, { skipTextToHtml: false });
    const html = parsed.html || parsed.textAsHtml || "";
    return c.html(sanitizeEmailHtml(html), 200, {
      "content-security-policy": PREVIEW_CSP,
      "x-frame-options": "SAMEORIGIN",
      "cache-control": "no-store",
    });
  });

  app.get("/dev/inbox/:id{[0-9]+}/raw", (c) => {
    const message = catcher.find(Number(c.req.param("id")));
    if (!message) throw new AppError("not_found", "Message not found");
    return c.body(new Uint8Array(message.raw), 200, { "content-type": "message/rfc822" });
  });
}

async function summary(message: CaughtMessage) {
  const parsed = await simpleParser(message.raw, {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
  });
  return {
    id: message.id,
    received_at: message.receivedAt.toISOString(),
    envelope: message.envelope,
    from: parsed.from?.text ?? null,
    to: Array.isArray(parsed.to)
      ? parsed.to.map((to) => to.text).join(", ")
      : (parsed.to?.text ?? null),
    subject: parsed.subject ?? null,
    message_id: parsed.messageId ?? null,
    size: message.raw.length,
  };
}
