import { type Attachment, type ParsedMail, simpleParser } from "mailparser";
import { parsePlainTextBounce } from "./plain-bounce.ts";
import {
  addressOf,
  dateOf,
  type FieldGroup,
  field,
  messageIdFromHeaders,
  normalizeMessageId,
  parseFieldGroups,
  untyped,
} from "./report-fields.ts";
import type {
  ComplaintReport,
  DsnAction,
  DsnRecipient,
  DsnReport,
  InboundReport,
} from "./report-types.ts";
import { classifyReply } from "./smtp-reply.ts";

export type * from "./report-types.ts";

const UNKNOWN: InboundReport = { kind: "unknown" };

const STATUS_PARTS = new Set(["message/delivery-status", "message/global-delivery-status"]);
const FEEDBACK_PART = "message/feedback-report";
/** Where a report returns the original: whole, or its headers only (RFC 6522, RFC 6533). */
const RETURNED_PARTS = new Set([
  "message/rfc822",
  "message/global",
  "text/rfc822-headers",
  "message/global-headers",
]);
const ACTIONS = new Set<DsnAction>(["failed", "delayed", "delivered", "relayed", "expanded"]);
const ENHANCED_STATUS = /(?:^|[^\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.]*\d)/;

/**
 * Reads a message that arrived at a bounce address: a delivery status notification (RFC 3464),
 * an abuse feedback report (ARF, RFC 5965), or a human-readable bounce from an MTA that sends
 * no DSN. Anything else, garbage included, is `{ kind: "unknown" }`: this never throws, since
 * whatever a stranger's server sends us must not stop the listener.
 */
export async function parseInboundReport(raw: Buffer): Promise<InboundReport> {
  try {
    const mail = await simpleParser(raw, {
      // The report parts stay parts (attachments) instead of being merged into the text, and
      // returned messages stay whole instead of being parsed as sub-messages.
      keepDeliveryStatus: true,
      ignoreEmbedded: true,
      checksumAlgo: false,
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipImageLinks: true,
      maxHtmlLengthToParse: 0,
    });
    return fromReportParts(mail) ?? parsePlainTextBounce(mail) ?? UNKNOWN;
  } catch {
    return UNKNOWN;
  }
}

function fromReportParts(mail: ParsedMail): InboundReport | undefined {
  const parts = mail.attachments;
  const status = parts.find((part) => STATUS_PARTS.has(part.contentType.toLowerCase()));
  const feedback = parts.find((part) => part.contentType.toLowerCase() === FEEDBACK_PART);
  const reportType = reportTypeOf(mail);
  const returned = parts.find((part) => RETURNED_PARTS.has(part.contentType.toLowerCase()));

  // The declared report type decides when both parts are somehow present.
  if (feedback && (reportType === "feedback-report" || !status)) {
    return complaintOf(feedback, returned);
  }
  if (status) return dsnOf(mail, status, returned);
  return undefined;
}

function reportTypeOf(mail: ParsedMail): string | undefined {
  // mailparser gives Content-Type as { value, params }.
  const contentType = mail.headers.get("content-type") as { params?: unknown } | undefined;
  const params = contentType?.params as Record<string, unknown> | undefined;
  const reportType = params?.["report-type"];
  return typeof reportType === "string" ? reportType.toLowerCase() : undefined;
}

function dsnOf(
  mail: ParsedMail,
  statusPart: Attachment,
  returned: Attachment | undefined,
): DsnReport | undefined {
  const groups = parseFieldGroups(statusPart.content.toString("utf8"));
  const perMessage = groups.find((group) => !isRecipientGroup(group)) ?? new Map();
  const recipients = groups
    .filter(isRecipientGroup)
    .map(recipientOf)
    .filter((recipient) => recipient !== undefined);
  if (recipients.length === 0) return undefined;

  return {
    kind: "dsn",
    format: "rfc3464",
    recipients,
    reportingMta: mtaOf(field(perMessage, "reporting-mta")),
    originalMessageId:
      messageIdOf(returned) ??
      // Gmail names the original in the per-message group; Exchange answers "in reply to" it.
      normalizeMessageId(field(perMessage, "x-original-message-id")) ??
      normalizeMessageId(mail.inReplyTo),
    originalEnvelopeId: field(perMessage, "original-envelope-id"),
  };
}

function isRecipientGroup(group: FieldGroup): boolean {
  return group.has("final-recipient") || group.has("original-recipient");
}

function recipientOf(group: FieldGroup): DsnRecipient | undefined {
  const originalRecipient = addressOf(field(group, "original-recipient"));
  const finalRecipient = addressOf(field(group, "final-recipient")) ?? originalRecipient;
  if (!finalRecipient) return undefined;
  const diagnosticField = field(group, "diagnostic-code");
  const diagnostic = diagnosticField ? untyped(diagnosticField) : undefined;
  const actionField = field(group, "action")
    ?.toLowerCase()
    .match(/^[a-z]+/)?.[0];
  const declaredAction = ACTIONS.has(actionField as DsnAction)
    ? (actionField as DsnAction)
    : undefined;
  const status = statusOf(field(group, "status"), diagnostic?.value, declaredAction);
  if (!status) return undefined;

  return {
    finalRecipient,
    originalRecipient,
    action: declaredAction ?? actionFromStatus(status),
    status,
    diagnosticCode: diagnostic?.value || undefined,
    diagnosticType: diagnostic?.type,
    remoteMta: mtaOf(field(group, "remote-mta")),
  };
}

/**
 * The Status field's code. Exim and others say only "5.0.0" there while the server's reply
 * says "5.1.1": the reply's more precise code of the same class wins then.
 */
function statusOf(
  statusField: string | undefined,
  diagnostic: string | undefined,
  action: DsnAction | undefined,
): string | undefined {
  const declared = enhancedCode(statusField);
  const reply = diagnostic ? classifyReply(diagnostic) : undefined;
  const fromReply = reply?.enhancedCode ?? undefined;
  if (declared) {
    const vague = declared.endsWith(".0.0");
    return vague && fromReply && fromReply[0] === declared[0] ? fromReply : declared;
  }
  if (fromReply) return fromReply;
  if (reply?.code) return `${String(reply.code)[0]}.0.0`;
  if (action === "failed") return "5.0.0";
  if (action === "delayed") return "4.0.0";
  if (action) return "2.0.0";
  return undefined;
}

function enhancedCode(text: string | undefined): string | undefined {
  const match = text ? ENHANCED_STATUS.exec(text) : null;
  return match ? `${match[1]}.${match[2]}.${match[3]}` : undefined;
}

function actionFromStatus(status: string): DsnAction {
  if (status.startsWith("5")) return "failed";
  if (status.startsWith("4")) return "delayed";
  return "delivered";
}

/** `dns; mx.example.org. (192.0.2.1, the server for ...)` as `mx.example.org`. */
function mtaOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const name = untyped(value)
    .value.replace(/\s*\(.*\)\s*$/s, "")
    .replace(/\.$/, "");
  return name || undefined;
}

function messageIdOf(returned: Attachment | undefined): string | undefined {
  return returned ? messageIdFromHeaders(returned.content.toString("utf8")) : undefined;
}

function complaintOf(feedbackPart: Attachment, returned: Attachment | undefined): ComplaintReport {
  // ARF has a single group; merging keeps fields that a blank line strayed into another.
  const fields: FieldGroup = new Map();
  for (const group of parseFieldGroups(feedbackPart.content.toString("utf8"))) {
    for (const [name, values] of group) fields.set(name, [...(fields.get(name) ?? []), ...values]);
  }
  const returnedText = returned?.content.toString("utf8");
  return {
    kind: "complaint",
    feedbackType:
      field(fields, "feedback-type")
        ?.toLowerCase()
        .match(/^[a-z0-9-]+/)?.[0] ?? "other",
    originalRecipient:
      addressOf(field(fields, "original-rcpt-to")) ??
      (returnedText ? singleRecipientOf(returnedText) : undefined),
    originalMailFrom: addressOf(field(fields, "original-mail-from")),
    originalMessageId: returnedText ? messageIdFromHeaders(returnedText) : undefined,
    userAgent: field(fields, "user-agent"),
    // Hotmail's reports say Received-Date for what RFC 5965 calls Arrival-Date.
    arrivalDate: dateOf(field(fields, "arrival-date") ?? field(fields, "received-date")),
    reportingMta: mtaOf(field(fields, "reporting-mta")),
    sourceIp: field(fields, "source-ip"),
  };
}

/** The returned message's To, when it names exactly one address (reporters may redact it). */
function singleRecipientOf(returnedText: string): string | undefined {
  const end = returnedText.search(/\r?\n\r?\n/);
  const head = (end === -1 ? returnedText : returnedText.slice(0, end)).replace(
    /\r?\n[ \t]+/g,
    " ",
  );
  const to = /^to[ \t]*:(.*)$/im.exec(head)?.[1];
  const addresses = to?.match(/[^\s<>,;:"()]+@[^\s<>,;:"()]+/g);
  return addresses?.length === 1 ? addresses[0] : undefined;
}
