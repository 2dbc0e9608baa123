import type Mail from "nodemailer/lib/mailer";
import { rewriteHtml } from "./tracking-html.ts";
import type { TrackingTokens } from "./tracking-tokens.ts";

/** How a recipient's copy is personalized: its tracked links and its unsubscribe link. */
export interface RecipientLinks {
  tokens: TrackingTokens;
  /** Where tracking requests arrive: `<base>/t/o/<token>`, `<base>/t/c/<token>`. */
  trackingBaseUrl: string;
  /** Where one-click unsubscribes arrive: `<base>/unsubscribe/<token>`. */
  unsubscribeBaseUrl: string;
  /** Add List-Unsubscribe (RFC 2369) and List-Unsubscribe-Post (RFC 8058) headers. */
  listUnsubscribe: boolean;
}

export interface CopyTarget {
  emailId: string;
  /** The recipient's index in the email's recipient list: what the tokens identify. */
  recipient: number;
  openTracking: boolean;
  clickTracking: boolean;
}

const hasHeader = (headers: Mail.Options["headers"], name: string) =>
  headers !== undefined &&
  !Array.isArray(headers) &&
  Object.keys(headers).some((key) => key.toLowerCase() === name);

/**
 * One recipient's copy of a message: html links rewritten to signed click links and an open
 * pixel (when the domain tracks them), and the unsubscribe headers unless the sender gave its
 * own List-Unsubscribe. The text part is left as composed (made from the original html), so
 * the pixel never shows there and its links still work without a redirect.
 */
export function recipientCopy(
  content: Mail.Options,
  target: CopyTarget,
  links: RecipientLinks,
): Mail.Options {
  const copy: Mail.Options = { ...content };
  const ids = { emailId: target.emailId, recipient: target.recipient };
  if (typeof content.html === "string" && (target.openTracking || target.clickTracking)) {
    copy.html = rewriteHtml(content.html, {
      ...(target.clickTracking
        ? {
            clickUrl: (url: string) =>
              `${links.trackingBaseUrl}/t/c/${links.tokens.click({ ...ids, url })}`,
          }
        : {}),
      ...(target.openTracking
        ? { openPixelUrl: `${links.trackingBaseUrl}/t/o/${links.tokens.open(ids)}` }
        : {}),
    });
  }
  if (links.listUnsubscribe && !hasHeader(content.headers, "list-unsubscribe")) {
    const url = `${links.unsubscribeBaseUrl}/unsubscribe/${links.tokens.unsubscribe(ids)}`;
    copy.headers = {
      ...(content.headers as Record<string, string> | undefined),
      "List-Unsubscribe": `<${url}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    };
  }
  return copy;
}
