import { compile } from "html-to-text";
import MailComposer from "nodemailer/lib/mail-composer";
import { bareAddress } from "../lib/address.ts";
import type { OutgoingMessage } from "./transport.ts";

export interface ComposableEmail {
  from: string;
  to: string[];
  cc: string[] | null;
  bcc: string[] | null;
  replyTo: string[] | null;
  subject: string;
  html: string | null;
  text: string | null;
  headers: Record<string, string> | null;
  messageId: string;
}

export interface ComposableAttachment {
  filename: string | null;
  contentType: string | null;
  contentId: string | null;
  content: Buffer;
}

/**
 * Plain text for clients that do not render HTML, and for spam filters that want both parts.
 * Compiled once: html-to-text rebuilds its options on every convert() call otherwise.
 */
export const textFromHtml: (html: string) => string = compile({
  wordwrap: 78,
  selectors: [{ selector: "img", format: "skip" }],
});

/**
 * Builds the MIME message (nodemailer's MailComposer) and the envelope for the given
 * recipients. Bcc recipients are in the envelope only, never in the headers.
 */
export async function composeMessage(
  email: ComposableEmail,
  attachments: ComposableAttachment[],
  recipients: string[],
  date: Date,
): Promise<OutgoingMessage> {
  const composer = new MailComposer({
    from: email.from,
    to: email.to,
    cc: email.cc ?? undefined,
    replyTo: email.replyTo ?? undefined,
    subject: email.subject,
    html: email.html ?? undefined,
    text: email.text ?? (email.html ? textFromHtml(email.html) : undefined),
    headers: email.headers ?? undefined,
    messageId: email.messageId,
    date,
    attachments: attachments.map((attachment) => ({
      content: attachment.content,
      filename: attachment.filename ?? undefined,
      contentType: attachment.contentType ?? undefined,
      cid: attachment.contentId ?? undefined,
    })),
  });
  const raw = await composer.compile().build();
  return { envelope: { from: bareAddress(email.from), to: recipients }, raw };
}

/** Everyone the message goes to, each once (addresses compare case-insensitively). */
export function allRecipients(email: Pick<ComposableEmail, "to" | "cc" | "bcc">): string[] {
  const seen = new Map<string, string>();
  for (const entry of [...email.to, ...(email.cc ?? []), ...(email.bcc ?? [])]) {
    const address = bareAddress(entry);
    const key = address.toLowerCase();
    if (!seen.has(key)) seen.set(key, address);
  }
  return [...seen.values()];
}
