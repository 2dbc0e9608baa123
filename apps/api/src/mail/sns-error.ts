/** Why an SNS message was refused; the HTTP layer answers 400 (403 for a foreign topic). */
export type SnsVerificationErrorCode =
  | "malformed_message"
  | "unsupported_signature_version"
  | "topic_not_allowed"
  | "stale_message"
  | "untrusted_certificate_url"
  | "untrusted_subscribe_url"
  | "certificate_unavailable"
  | "invalid_certificate"
  | "invalid_signature";

export class SnsVerificationError extends Error {
  readonly code: SnsVerificationErrorCode;

  constructor(code: SnsVerificationErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SnsVerificationError";
    this.code = code;
  }
}
