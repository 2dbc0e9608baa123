import type { InboundMessage } from "../../mail/bounce-listener.ts";
import type { DsnRecipient, InboundReport } from "../../mail/report-types.ts";
import { classifyReply, type SmtpReply } from "../../mail/smtp-reply.ts";
import { parseVerpAddress, type VerpTarget } from "../../mail/verp.ts";
import type { Feedback } from "./feedback.ts";

/**
 * What a message to a bounce address says, as feedback. Only messages sent to one of our
 * signed VERP addresses count: the address says which email and recipient they are about, and
 * nobody can forge it. A report to any other address (or an unsigned one) would let anyone who
 * saw a Message-ID bounce or suppress other people's mail, so it is ignored.
 */
export function feedbackFromReport(
  verpKey: Buffer,
  message: InboundMessage,
  report: InboundReport,
  recipientOf: (target: VerpTarget) => Promise<string | undefined>,
): Promise<Feedback[]> {
  const target = message.envelope.to
    .map((address) => parseVerpAddress(verpKey, address))
    .find((parsed): parsed is VerpTarget => parsed !== null);
  if (!target || report.kind === "unknown") return Promise.resolve([]);
  return recipientOf(target).then((recipient) => {
    if (!recipient) return [];
    const base = { emailId: target.emailId, recipient };
    if (report.kind === "complaint") {
      return [
        {
          ...base,
          type: "complained" as const,
          details: {
            source: "arf",
            feedback_type: report.feedbackType,
            user_agent: report.userAgent ?? null,
          },
        },
      ];
    }
    // A VERP copy has one recipient; the report's entry for it is the one that matters.
    const entry = pickEntry(report.recipients, recipient);
    if (!entry) return [];
    const type = typeOf(entry);
    if (!type) return [];
    return [
      {
        ...base,
        type,
        reply: replyOf(entry),
        details: {
          source: "dsn",
          action: entry.action,
          reporting_mta: report.reportingMta ?? null,
          remote_mta: entry.remoteMta ?? null,
        },
      },
    ];
  });
}

function pickEntry(entries: DsnRecipient[], recipient: string): DsnRecipient | undefined {
  const same = (address: string | undefined) => address?.toLowerCase() === recipient.toLowerCase();
  return (
    entries.find((entry) => same(entry.finalRecipient) || same(entry.originalRecipient)) ??
    // Forwarded: the report names the final mailbox, not ours. One entry is still about it.
    (entries.length === 1 ? entries[0] : undefined)
  );
}

/** `failed` is final whatever its status class (an expired 4.4.7 is a bounce too). */
function typeOf(entry: DsnRecipient): Feedback["type"] | undefined {
  switch (entry.action) {
    case "failed":
      return "bounced";
    case "delayed":
      return "delivery_delayed";
    case "delivered":
    case "relayed":
    case "expanded":
      return "delivered";
    default:
      return undefined;
  }
}

/** The diagnostic's own words, with the report's Status as the enhanced code when it has none. */
function replyOf(entry: DsnRecipient): SmtpReply {
  const fromDiagnostic = classifyReply(entry.diagnosticCode ?? "");
  const fromStatus = classifyReply(entry.status);
  const reply = fromDiagnostic.enhancedCode
    ? fromDiagnostic
    : { ...fromStatus, code: fromDiagnostic.code };
  // A failed delivery is permanent for us even when its code class says temporary.
  const bounceClass =
    entry.action === "failed" && reply.bounceClass !== "hard" ? "hard" : reply.bounceClass;
  return { ...reply, bounceClass, response: entry.diagnosticCode ?? entry.status };
}
