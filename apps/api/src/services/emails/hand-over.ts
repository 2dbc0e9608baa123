import { allRecipients, type ComposableAttachment, composeMessage } from "../../mail/compose.ts";
import { type RecipientLinks, recipientCopy } from "../../mail/recipient-copy.ts";
import { type MailTransport, TransportError, type TransportReport } from "../../mail/transport.ts";
import { verpAddress } from "../../mail/verp.ts";
import type { SenderIdentity } from "../domains/sender-identities.ts";
import type { ClaimedEmail } from "./claim.ts";

/**
 * Hands an email to the transport for the given recipients. From a verified domain it is
 * DKIM-signed and each recipient gets a copy of its own: its return path (VERP), so that a
 * bounce tells which recipient it is about, and its tracking and unsubscribe links. Otherwise
 * (dev mode, an unverified domain) one copy goes to all. The copies' outcomes are merged.
 */
export async function handOver(input: {
  transport: MailTransport;
  email: ClaimedEmail;
  attachments: ComposableAttachment[];
  recipients: string[];
  identity: SenderIdentity | null;
  verpKey: Buffer;
  links: RecipientLinks;
  now: Date;
}): Promise<TransportReport> {
  const { email, identity, recipients } = input;
  const message = composeMessage(email, input.attachments, recipients, input.now, identity?.dkim);
  if (!identity) return send(input.transport, message, recipients);

  const everyone = allRecipients(email).map((address) => address.toLowerCase());
  const reports = await Promise.all(
    recipients.map((recipient) => {
      const index = everyone.indexOf(recipient.toLowerCase());
      const from = verpAddress(
        input.verpKey,
        { emailId: email.id, recipient: Math.max(index, 0) },
        identity.returnPathDomain,
      );
      const content = recipientCopy(
        message.content,
        {
          emailId: email.id,
          recipient: Math.max(index, 0),
          openTracking: identity.openTracking,
          clickTracking: identity.clickTracking,
        },
        input.links,
      );
      return send(input.transport, { envelope: { from, to: [recipient] }, content }, [recipient]);
    }),
  );
  const taken = reports.filter((report) => report.accepted.length > 0);
  return {
    accepted: reports.flatMap((report) => report.accepted),
    rejected: reports.flatMap((report) => report.rejected),
    response: taken[0]?.response ?? "",
    ...takenBy(taken),
  };
}

/**
 * Which providers of a chain took the copies (usually one; several when it failed over while
 * the copies went out), and whether all of them are final hops: `delivered` only then.
 */
function takenBy(taken: TransportReport[]): Pick<TransportReport, "provider" | "finalHop"> {
  const names = [...new Set(taken.flatMap((report) => report.provider ?? []))];
  if (names.length === 0) return {};
  const finalHops = taken.map((report) => report.finalHop);
  return {
    provider: names.join(", "),
    ...(finalHops.every((hop) => hop !== undefined) ? { finalHop: finalHops.every(Boolean) } : {}),
  };
}

async function send(
  transport: MailTransport,
  message: Parameters<MailTransport["send"]>[0],
  recipients: string[],
): Promise<TransportReport> {
  try {
    return await transport.send(message);
  } catch (error) {
    if (!(error instanceof TransportError)) throw error;
    return refusedAsReport(error, recipients);
  }
}

/**
 * A send that failed as a whole, as per-recipient refusals: those refused at RCPT TO keep
 * their own replies; everyone else shares the error's reply (a 5xx to the message is a hard
 * bounce for all, a dropped connection a deferral for all).
 */
function refusedAsReport(error: TransportError, recipients: string[]): TransportReport {
  const own = new Map(
    error.rejected.map((rejection) => [rejection.recipient.toLowerCase(), rejection]),
  );
  return {
    accepted: [],
    rejected: recipients.map(
      (recipient) => own.get(recipient.toLowerCase()) ?? { recipient, reply: error.reply },
    ),
    response: "",
  };
}
