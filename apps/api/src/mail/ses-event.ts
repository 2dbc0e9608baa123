/** An SES event as parseSesNotification (ses-notification.ts) answers it. */

export interface SesMail {
  /** The id SES gave the message: what the SES transport stores as the provider message id. */
  messageId: string;
  timestamp?: Date;
  source?: string;
  sourceArn?: string;
  sendingAccountId?: string;
  destination: string[];
  /** The Message-ID header we sent, `<id@host>`, when SES included the headers. */
  headerMessageId?: string;
  returnPath?: string;
  subject?: string;
  /** The original headers, when the identity or configuration set includes them. */
  headers: { name: string; value: string }[];
  /** Configuration-set tags (event publishing only). */
  tags: Record<string, string[]>;
}

export type SesBounceType = "Permanent" | "Transient" | "Undetermined";

export interface SesRecipientStatus {
  emailAddress: string;
  /** Enhanced status code, from SES's status or else from the diagnostic. */
  status?: string;
  action?: string;
  /** Without its `smtp;` type, as dsn.ts gives it. */
  diagnosticCode?: string;
}

export type SesEvent =
  | {
      type: "bounce";
      mail: SesMail;
      bounceType: SesBounceType;
      bounceSubType: string;
      recipients: SesRecipientStatus[];
      timestamp?: Date;
      feedbackId?: string;
      reportingMta?: string;
      remoteMtaIp?: string;
    }
  | {
      type: "complaint";
      mail: SesMail;
      recipients: string[];
      /** ARF Feedback-Type when the ISP gave one ("abuse", "not-spam"...). */
      feedbackType?: string;
      complaintSubType?: string;
      timestamp?: Date;
      feedbackId?: string;
      userAgent?: string;
      arrivalDate?: Date;
    }
  | {
      type: "delivery";
      mail: SesMail;
      recipients: string[];
      smtpResponse?: string;
      processingTimeMillis?: number;
      timestamp?: Date;
      reportingMta?: string;
      remoteMtaIp?: string;
    }
  | {
      type: "delivery_delay";
      mail: SesMail;
      delayType?: string;
      recipients: SesRecipientStatus[];
      expirationTime?: Date;
      timestamp?: Date;
      reportingMta?: string;
    }
  /** Send, Reject, Open, Click, subscription notices and whatever SES adds later. */
  | { type: "other"; eventType: string; mail?: SesMail };
