/** What a message sent to the bounce address turned out to be (see dsn.ts). */
export type InboundReport = DsnReport | ComplaintReport | UnknownReport;

/** RFC 3464 section 2.3.3. */
export type DsnAction = "failed" | "delayed" | "delivered" | "relayed" | "expanded";

export interface DsnRecipient {
  /** The address the reporting MTA tried (Final-Recipient), without its `rfc822;` type. */
  finalRecipient: string;
  /** The address as we gave it (ORCPT), when the reporter kept it. */
  originalRecipient?: string;
  action: DsnAction;
  /**
   * The enhanced status code (RFC 3463), e.g. "5.1.1": from the Status field, or from the
   * diagnostic when the field is missing or only says x.0.0 there and the diagnostic is precise.
   */
  status: string;
  /** The remote server's reply or the reporter's explanation, without its `smtp;` type. */
  diagnosticCode?: string;
  /** The diagnostic's type, lower-cased: "smtp" for a server's reply, "x-postfix" and such. */
  diagnosticType?: string;
  /** The server that answered, without its `dns;` type. */
  remoteMta?: string;
}

export interface DsnReport {
  kind: "dsn";
  /**
   * "rfc3464": read from a machine-readable message/delivery-status part. "plain-text": guessed
   * from a human-readable bounce (qmail, old Gmail, X-Failed-Recipients), so less certain.
   */
  format: "rfc3464" | "plain-text";
  recipients: DsnRecipient[];
  reportingMta?: string;
  /** The returned message's Message-ID, `<id@host>`, as the emails table stores it. */
  originalMessageId?: string;
  /** The ENVID the message was sent with (RFC 3461), when the reporter kept it. */
  originalEnvelopeId?: string;
}

export interface ComplaintReport {
  kind: "complaint";
  /** RFC 5965 Feedback-Type, lower-cased: "abuse", "fraud", "virus", "not-spam", "other"... */
  feedbackType: string;
  /** Original-Rcpt-To, else the To of the returned message when it names one address. */
  originalRecipient?: string;
  originalMailFrom?: string;
  originalMessageId?: string;
  userAgent?: string;
  arrivalDate?: Date;
  reportingMta?: string;
  sourceIp?: string;
}

/** Anything else: auto-replies, spam to the bounce address, garbage. */
export interface UnknownReport {
  kind: "unknown";
}
