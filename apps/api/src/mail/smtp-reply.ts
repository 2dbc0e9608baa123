/**
 * SMTP replies classified by their enhanced status code (RFC 3463, RFC 5248 registry):
 * `class.subject.detail`, where class 2 is success, 4 a persistent transient failure (worth
 * retrying) and 5 a permanent failure (a bounce).
 */
export type BounceClass = "hard" | "soft" | "undetermined";

export interface SmtpReply {
  /** The basic reply code (RFC 5321), e.g. 550. */
  code: number | null;
  /** The enhanced status code, e.g. "5.1.1", when the server gave one. */
  enhancedCode: string | null;
  bounceClass: BounceClass;
  /** RFC 3463's meaning of the enhanced code (or of the basic code when there is none). */
  reason: string;
  /** The server's text, trimmed to a reasonable length. */
  response: string;
}

/** Subject (second number) meanings, RFC 3463 section 3. */
const SUBJECTS: Record<string, string> = {
  "0": "other or undefined status",
  "1": "addressing status",
  "2": "mailbox status",
  "3": "mail system status",
  "4": "network and routing status",
  "5": "mail delivery protocol status",
  "6": "message content or media status",
  "7": "security or policy status",
};

/** Subject.detail meanings, RFC 3463 section 3 and the RFC 5248 registry. */
const DETAILS: Record<string, string> = {
  "0.0": "other undefined status",
  "1.0": "other address status",
  "1.1": "bad destination mailbox address",
  "1.2": "bad destination system address",
  "1.3": "bad destination mailbox address syntax",
  "1.4": "destination mailbox address ambiguous",
  "1.5": "destination address valid",
  "1.6": "destination mailbox has moved, no forwarding address",
  "1.7": "bad sender's mailbox address syntax",
  "1.8": "bad sender's system address",
  "1.10": "recipient address has null MX",
  "2.0": "other or undefined mailbox status",
  "2.1": "mailbox disabled, not accepting messages",
  "2.2": "mailbox full",
  "2.3": "message length exceeds administrative limit",
  "2.4": "mailing list expansion problem",
  "3.0": "other or undefined mail system status",
  "3.1": "mail system full",
  "3.2": "system not accepting network messages",
  "3.3": "system not capable of selected features",
  "3.4": "message too big for system",
  "3.5": "system incorrectly configured",
  "4.0": "other or undefined network or routing status",
  "4.1": "no answer from host",
  "4.2": "bad connection",
  "4.3": "directory server failure",
  "4.4": "unable to route",
  "4.5": "mail system congestion",
  "4.6": "routing loop detected",
  "4.7": "delivery time expired",
  "5.0": "other or undefined protocol status",
  "5.1": "invalid command",
  "5.2": "syntax error",
  "5.3": "too many recipients",
  "5.4": "invalid command arguments",
  "5.5": "wrong protocol version",
  "6.0": "other or undefined media error",
  "6.1": "media not supported",
  "6.2": "conversion required and prohibited",
  "6.3": "conversion required but not supported",
  "6.4": "conversion with loss performed",
  "6.5": "conversion failed",
  "7.0": "other or undefined security status",
  "7.1": "delivery not authorized, message refused",
  "7.2": "mailing list expansion prohibited",
  "7.3": "security conversion required but not possible",
  "7.4": "security features not supported",
  "7.5": "cryptographic failure",
  "7.6": "cryptographic algorithm not supported",
  "7.7": "message integrity failure",
  "7.8": "authentication credentials invalid",
  "7.9": "authentication mechanism is too weak",
  "7.20": "no passing DKIM signature found",
  "7.23": "SPF validation failed",
  "7.25": "reverse DNS validation failed",
  "7.26": "multiple authentication checks failed",
  "7.27": "sender address has null MX",
};

const ENHANCED = /(?:^|[\s-])([245])\.(\d{1,3})\.(\d{1,3})(?=$|\s|[.,;:)])/;
const BASIC = /^\s*([2-5]\d\d)\b/;

export function describeEnhancedCode(enhanced: string): string {
  const [, subject = "", detail = ""] = enhanced.split(".");
  return DETAILS[`${subject}.${detail}`] ?? SUBJECTS[subject] ?? "unknown status";
}

function classOf(digit: string | undefined): BounceClass {
  if (digit === "5") return "hard";
  if (digit === "4") return "soft";
  return "undetermined";
}

/**
 * Classifies a reply. The enhanced code decides when present; otherwise the basic code's first
 * digit does; with neither (a dropped connection, say) the class is undetermined.
 */
export function classifyReply(response: string | undefined, code?: number | null): SmtpReply {
  const text = (response ?? "").trim().slice(0, 500);
  const basic = code ?? numberOr(BASIC.exec(text)?.[1]);
  const enhanced = ENHANCED.exec(text);
  if (enhanced) {
    const enhancedCode = `${enhanced[1]}.${enhanced[2]}.${enhanced[3]}`;
    return {
      code: basic,
      enhancedCode,
      bounceClass: classOf(enhanced[1]),
      reason: describeEnhancedCode(enhancedCode),
      response: text,
    };
  }
  const digit = basic === null ? undefined : String(basic)[0];
  return {
    code: basic,
    enhancedCode: null,
    bounceClass: classOf(digit),
    reason: digit === "5" ? "permanent failure" : digit === "4" ? "temporary failure" : "no reply",
    response: text,
  };
}

function numberOr(value: string | undefined): number | null {
  return value === undefined ? null : Number(value);
}
