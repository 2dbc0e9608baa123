import { verify } from "node:crypto";
import { z } from "zod";
import { type CertificateFetcher, cachedCertificate } from "./sns-certificate.ts";
import { SnsVerificationError } from "./sns-error.ts";

export * from "./ses-notification.ts";
export { type CertificateFetcher, createCertificateFetcher } from "./sns-certificate.ts";
export { SnsVerificationError, type SnsVerificationErrorCode } from "./sns-error.ts";

/**
 * Amazon SNS HTTP(S) deliveries, as SES reports bounces, complaints and deliveries through
 * them: the message is trusted only once its signature checks out against the certificate
 * that SNS publishes on its own host.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
 */

/** Amazon's SNS hosts: sns.<region>.amazonaws.com, and .com.cn in China. */
export const SNS_CERTIFICATE_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;
const DEFAULT_MAX_AGE_MS = 60 * 60 * 1000;
/** Clocks drift: a timestamp this far ahead of ours is still believed. */
const FUTURE_SKEW_MS = 5 * 60 * 1000;

export interface VerifySnsOptions {
  /** Fetches the signing certificate's PEM; use createCertificateFetcher() in production. */
  fetchCertificate: CertificateFetcher;
  /** Hosts SigningCertURL (and SubscribeURL) may name. Defaults to Amazon's SNS hosts. */
  certificateHost?: RegExp;
  /** Older messages are refused, so a captured one cannot be replayed forever. Default 1 hour. */
  maxAgeMs?: number;
  /**
   * The topics we subscribed to. Anyone can publish a genuinely signed message from a topic of
   * their own AWS account, so in production this list is what makes a message ours.
   */
  allowedTopicArns?: readonly string[];
}

const base = {
  MessageId: z.string().min(1),
  TopicArn: z.string().min(1),
  Message: z.string(),
  Timestamp: z.string().min(1),
  SignatureVersion: z.string(),
  Signature: z.string().min(1),
  SigningCertURL: z.string().min(1),
};

const notificationSchema = z.object({
  ...base,
  Type: z.literal("Notification"),
  Subject: z.string().nullish(),
  UnsubscribeURL: z.string().optional(),
});

const confirmationSchema = z.object({
  ...base,
  Type: z.enum(["SubscriptionConfirmation", "UnsubscribeConfirmation"]),
  SubscribeURL: z.string().min(1),
  Token: z.string().min(1),
});

const messageSchema = z.discriminatedUnion("Type", [notificationSchema, confirmationSchema]);

export type SnsNotification = z.infer<typeof notificationSchema>;
/** After verifying one, GET its SubscribeURL to confirm the subscription. */
export type SnsConfirmation = z.infer<typeof confirmationSchema>;
export type SnsMessage = SnsNotification | SnsConfirmation;

const ALGORITHMS: Record<string, string> = { "1": "sha1", "2": "sha256" };

/**
 * Checks an SNS message (the POST body: a JSON string, as SNS sends it with text/plain, or the
 * parsed object) and answers it typed. Throws SnsVerificationError, never anything else.
 */
export async function verifySnsMessage(
  body: unknown,
  options: VerifySnsOptions,
): Promise<SnsMessage> {
  const message = parseMessage(body);
  const algorithm = ALGORITHMS[message.SignatureVersion];
  if (!algorithm) {
    throw new SnsVerificationError(
      "unsupported_signature_version",
      `SignatureVersion ${JSON.stringify(message.SignatureVersion).slice(0, 20)} is not supported`,
    );
  }
  if (options.allowedTopicArns && !options.allowedTopicArns.includes(message.TopicArn)) {
    throw new SnsVerificationError(
      "topic_not_allowed",
      "the message is from a topic we did not subscribe to",
    );
  }
  checkFreshness(message.Timestamp, options.maxAgeMs ?? DEFAULT_MAX_AGE_MS);

  const host = options.certificateHost ?? SNS_CERTIFICATE_HOST;
  checkAmazonUrl(message.SigningCertURL, host, "untrusted_certificate_url");
  if (message.Type !== "Notification")
    checkAmazonUrl(message.SubscribeURL, host, "untrusted_subscribe_url");

  const certificate = await cachedCertificate(options.fetchCertificate, message.SigningCertURL);
  const now = new Date();
  if (certificate.validFromDate > now || certificate.validToDate < now) {
    throw new SnsVerificationError("invalid_certificate", "signing certificate is not valid now");
  }
  let valid = false;
  try {
    valid = verify(
      algorithm,
      Buffer.from(stringToSign(message), "utf8"),
      certificate.publicKey,
      Buffer.from(message.Signature, "base64"),
    );
  } catch {
    // A key of the wrong type or a signature of the wrong length: just not valid.
  }
  if (!valid) throw new SnsVerificationError("invalid_signature", "signature does not match");
  return message;
}

function parseMessage(body: unknown): SnsMessage {
  let value = body;
  if (typeof value === "string" || value instanceof Uint8Array) {
    const text = typeof value === "string" ? value : Buffer.from(value).toString("utf8");
    try {
      value = JSON.parse(text);
    } catch {
      throw new SnsVerificationError("malformed_message", "body is not JSON");
    }
  }
  const parsed = messageSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "body";
    throw new SnsVerificationError(
      "malformed_message",
      `not an SNS message: ${where}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

function checkFreshness(timestamp: string, maxAgeMs: number): void {
  const at = Date.parse(timestamp);
  if (Number.isNaN(at))
    throw new SnsVerificationError("malformed_message", "Timestamp is not a date");
  const age = Date.now() - at;
  if (age > maxAgeMs) throw new SnsVerificationError("stale_message", "message is too old");
  if (age < -FUTURE_SKEW_MS)
    throw new SnsVerificationError("stale_message", "message is from the future");
}

function checkAmazonUrl(
  value: string,
  host: RegExp,
  code: "untrusted_certificate_url" | "untrusted_subscribe_url",
): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SnsVerificationError(code, "URL does not parse");
  }
  if (url.protocol !== "https:") throw new SnsVerificationError(code, "URL is not https");
  if (url.username || url.password) throw new SnsVerificationError(code, "URL has credentials");
  if (!host.test(url.hostname))
    throw new SnsVerificationError(code, `host ${url.hostname} is not trusted`);
}

/**
 * The bytes SNS signed: `Name\nvalue\n` for each signed field in this order, Subject only when
 * the message has one.
 */
export function stringToSign(message: SnsMessage): string {
  const fields: [string, string | null | undefined][] =
    message.Type === "Notification"
      ? [
          ["Message", message.Message],
          ["MessageId", message.MessageId],
          ["Subject", message.Subject],
          ["Timestamp", message.Timestamp],
          ["TopicArn", message.TopicArn],
          ["Type", message.Type],
        ]
      : [
          ["Message", message.Message],
          ["MessageId", message.MessageId],
          ["SubscribeURL", message.SubscribeURL],
          ["Timestamp", message.Timestamp],
          ["Token", message.Token],
          ["TopicArn", message.TopicArn],
          ["Type", message.Type],
        ];
  return fields
    .filter((entry): entry is [string, string] => typeof entry[1] === "string")
    .map(([name, value]) => `${name}\n${value}\n`)
    .join("");
}
