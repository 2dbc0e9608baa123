import { type Destination, SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import addressparser from "nodemailer/lib/addressparser";
import type Mail from "nodemailer/lib/mailer";
import { buildMime } from "./compose.ts";
import { sesTransportError } from "./ses-errors.ts";
import type { MailTransport, OutgoingMessage, TransportReport } from "./transport.ts";

export interface SesTransportOptions {
  /** The SES region, e.g. "eu-west-1": identities and quotas are per region. */
  region: string;
  /** Another endpoint than the region's: a local SES for tests, or an SES-compatible service. */
  endpoint?: string;
  /** Without them, the SDK's default chain: environment, shared files, container or instance role. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Where SES publishes this transport's sending events (deliveries, bounces, complaints). */
  configurationSetName?: string;
  name?: string;
  /**
   * Attempts per send, the SDK's quick retries included. The worker already retries with
   * backoff, so one quick retry is enough: it absorbs a stale keep-alive socket or a burst over
   * the per-second send rate (SDK backoff: under 50 ms, under 1 s when throttled) without
   * deferring the email; more would only add latency, and each retry of a request that timed
   * out after SES took it sends the message twice. Default 2.
   */
  maxAttempts?: number;
  /** Time allowed to connect, then for the whole request. Defaults 5 s and 30 s. */
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/**
 * Hands messages to Amazon SES (API v2, SendEmail with raw content): the MIME we build, byte
 * for byte, so that our headers, parts and attachments are exactly what the recipients get,
 * except for two things SES rewrites. It replaces our Message-ID with its own
 * `<MessageId@region.amazonses.com>`. And it sets the SMTP MAIL FROM itself (its bounce domain
 * or the identity's custom MAIL FROM domain) to collect bounces: SES reports those as events
 * (configuration set), and forwards them by mail, when feedback forwarding is on, to the
 * FeedbackForwardingEmailAddress or else to the message's Return-Path (else its From).
 *
 * SES is a relay: its acceptance means `sent`, for every envelope recipient at once. A refusal
 * is of the whole message (SES has no per-recipient refusal at submission); later bounces
 * arrive as SES events.
 */
export function createSesTransport(options: SesTransportOptions): MailTransport {
  const client = new SESv2Client({
    region: options.region,
    endpoint: options.endpoint,
    credentials: options.credentials,
    maxAttempts: options.maxAttempts ?? 2,
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? 5_000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      // Without it the SDK only logs a warning when requestTimeout passes, and waits on.
      throwOnRequestTimeout: true,
    },
  });

  return {
    name: options.name ?? `ses:${options.region}`,
    finalHop: false,
    async send(message: OutgoingMessage): Promise<TransportReport> {
      const raw = await buildMime(message.content);
      const command = new SendEmailCommand({
        Content: { Raw: { Data: raw } },
        Destination: destination(message),
        // FromEmailAddress is left out on purpose: with raw content SES rewrites the From
        // header to it, dropping the display name. SES takes the sending identity (which it
        // checks is verified) from the From header instead.
        FeedbackForwardingEmailAddress: feedbackAddress(message),
        ConfigurationSetName: options.configurationSetName,
        EmailTags: emailTags(message),
      });
      try {
        const output = await client.send(command);
        return {
          accepted: [...message.envelope.to],
          rejected: [],
          response: `ses:${output.MessageId ?? ""}`,
        };
      } catch (error) {
        throw sesTransportError(error);
      }
    },
    async close() {
      client.destroy();
    },
  };
}

/** Our Message-ID is `<email id@domain>`: the id, as a tag, comes back in SES's events. */
const OUR_MESSAGE_ID = /^<([0-9a-f-]{36})@/i;

/**
 * SES message tags, which its event notifications carry back: the email's id lets a bounce or
 * complaint from SES be matched to its email without a lookup by SES's own message id.
 */
function emailTags(message: OutgoingMessage) {
  const id = OUR_MESSAGE_ID.exec(String(message.content.messageId ?? ""))?.[1];
  return id ? [{ Name: SES_EMAIL_ID_TAG, Value: id }] : undefined;
}

export const SES_EMAIL_ID_TAG = "thrive_email_id";

/**
 * The envelope recipients, which SES delivers to instead of the message's headers (it never
 * adds or changes To/Cc for raw content). Each goes in the field its role in the headers
 * gives it; one the headers do not show is a Bcc. Never empty: without a Destination SES
 * would take the recipients from the headers, and a retry meant for the deferred recipients
 * only would go to everyone again.
 */
function destination(message: OutgoingMessage): Destination {
  const recipients = message.envelope.to;
  if (recipients.length === 0) throw new Error("an SES send needs at least one envelope recipient");
  const inTo = addressesOf(message.content.to);
  const inCc = addressesOf(message.content.cc);
  const to: string[] = [];
  const cc: string[] = [];
  const bcc: string[] = [];
  for (const recipient of recipients) {
    const key = recipient.toLowerCase();
    (inTo.has(key) ? to : inCc.has(key) ? cc : bcc).push(recipient);
  }
  return {
    ToAddresses: to.length > 0 ? to : undefined,
    CcAddresses: cc.length > 0 ? cc : undefined,
    BccAddresses: bcc.length > 0 ? bcc : undefined,
  };
}

/**
 * The envelope sender's one role SES leaves us: where its bounce and complaint mails go. Only
 * set when it differs from the From address, the default SES would use anyway; like the From
 * address, it must be a verified identity. A null sender (`<>`) asks for no bounce mail.
 */
function feedbackAddress(message: OutgoingMessage): string | undefined {
  const sender = message.envelope.from;
  if (!sender) return undefined;
  return addressesOf(message.content.from).has(sender.toLowerCase()) ? undefined : sender;
}

/** Lower-cased bare addresses of a nodemailer address field (strings, objects, groups, lists). */
function addressesOf(field: Mail.Options["to"], into = new Set<string>()): Set<string> {
  if (!field) return into;
  if (Array.isArray(field)) {
    for (const entry of field) addressesOf(entry, into);
  } else if (typeof field === "string") {
    addressesOf(addressparser(field, { flatten: true }), into);
  } else {
    if (field.address) into.add(field.address.toLowerCase());
    if (field.group) addressesOf(field.group, into);
  }
  return into;
}
