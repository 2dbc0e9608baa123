import type Mail from "nodemailer/lib/mailer";
import type { SmtpReply } from "./smtp-reply.ts";

/**
 * A message ready for the wire: the SMTP envelope, and the fields nodemailer's MailComposer
 * turns into MIME (content only: no file paths or URLs, see composeMessage).
 */
export interface OutgoingMessage {
  envelope: { from: string; to: string[] };
  content: Mail.Options;
}

export interface RecipientRejection {
  recipient: string;
  reply: SmtpReply;
}

/** The outcome of a send the server took at least partly. */
export interface TransportReport {
  /** Recipients the server accepted. */
  accepted: string[];
  /** Recipients it refused, each with its reply. */
  rejected: RecipientRejection[];
  /** The server's final reply to the message, e.g. "250 2.0.0 Ok: queued as 4F2A1". */
  response: string;
  /** Set by a provider chain: which of its providers took the message. */
  provider?: string;
  /** Set by a provider chain: that provider's MailTransport.finalHop. */
  finalHop?: boolean;
}

export interface TransportErrorOptions {
  /** See TransportError.providerFault. */
  providerFault?: boolean;
}

/** A send that did not get through at all: connection trouble, or a refusal of the whole message. */
export class TransportError extends Error {
  readonly reply: SmtpReply;
  /** Recipients refused one by one, when the refusal came at RCPT TO. */
  readonly rejected: RecipientRejection[];
  /**
   * True when the failure lies with the provider rather than with the message or its
   * recipients: the provider is unreachable, overloaded or throttling us, or our account with
   * it is suspended, unauthenticated or misconfigured. Another provider would likely take the
   * same message now, so a provider chain may fail over instead of waiting for a retry. The
   * reply's class still says what the failure means for the recipients (soft: try again).
   */
  readonly providerFault: boolean;

  constructor(
    message: string,
    reply: SmtpReply,
    rejected: RecipientRejection[] = [],
    options: TransportErrorOptions = {},
  ) {
    super(message);
    this.name = "TransportError";
    this.reply = reply;
    this.rejected = rejected;
    this.providerFault = options.providerFault ?? false;
  }
}

export interface MailTransport {
  readonly name: string;
  /**
   * True when the server is the recipients' own (the dev catcher): its acceptance means
   * `delivered`. A relay's acceptance only means `sent`.
   */
  readonly finalHop: boolean;
  send(message: OutgoingMessage): Promise<TransportReport>;
  close(): Promise<void>;
}
