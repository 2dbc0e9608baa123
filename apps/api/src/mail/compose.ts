import { compile } from "html-to-text";
import MailComposer from "nodemailer/lib/mail-composer";
import type Mail from "nodemailer/lib/mailer";
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

/** A domain's DKIM key, as nodemailer signs with it. */
export interface DkimSigning {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

/**
 * The message for the given recipients: its SMTP envelope and the fields nodemailer's
 * MailComposer builds the MIME from. The transport composes and streams it in one pass (a
 * MIME buffer built here first would be parsed and copied again on the way out). Bcc
 * recipients are in the envelope only, never in the headers. With `dkim`, nodemailer signs it
 * (its default header list covers List-Unsubscribe and List-Unsubscribe-Post, RFC 8058 §4).
 */
export function composeMessage(
  email: ComposableEmail,
  attachments: ComposableAttachment[],
  recipients: string[],
  date: Date,
  dkim?: DkimSigning,
): OutgoingMessage {
  return {
    envelope: { from: bareAddress(email.from), to: recipients },
    content: {
      ...(dkim ? { dkim } : {}),
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
      // Everything comes from the request as data: nothing may make nodemailer read a local
      // file or fetch a URL on our behalf.
      disableFileAccess: true,
      disableUrlAccess: true,
    },
  };
}

/** The full MIME bytes of a message, for transports and tools that need them whole. */
export function buildMime(content: Mail.Options): Promise<Buffer> {
  return new MailComposer(content).compile().build();
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
