import type { SmtpReply } from "./smtp-reply.ts";
import { TransportError } from "./transport.ts";

/**
 * Whether a failed send lies with the provider (another provider would likely take the message
 * now: fail over) or is the answer about this message and its recipients (any provider would
 * say the same: record it, never fail over, or one bad address would trip every breaker and
 * a 550 would turn into a send through the next provider).
 *
 * The provider's, by reply:
 * - 421: the server is closing the channel (shutting down, overloaded); RFC 5321 4.2.3.
 * - 454: TLS or authentication temporarily unavailable: our session with the provider.
 * - 530, 534, 535, 538: authentication required, too weak, refused, or only over TLS: our
 *   account's credentials or set-up, whatever the message.
 * - x.7.8 and x.7.9: the same said with enhanced codes (credentials invalid, mechanism weak).
 * - 4.3.x: the provider's own mail system (full, not accepting, misconfigured).
 * - 4.4.x: the provider's network or routing. A relay does not try the next hop while we
 *   wait, so at submission this is its own trouble, not the recipient domain's.
 * - 4.7.0 on a 4xx: what relays answer when they throttle an account ("slow down"); the
 *   message itself would be taken by a provider that is not throttling us.
 *
 * The recipient's (the answer), among others: x.1.x (no such mailbox or domain), x.2.x
 * (mailbox full or disabled: 552 5.2.2), x.6.x (content), 4.7.1 and 5.7.x other than the
 * above (policy: greylisting, spam verdicts, relay denied for that sender), 5.3.4 (too big).
 *
 * With no reply at all (connection refused, reset, timed out, TLS failure), only the
 * transport that saw the failure knows what it was: it sets TransportError.providerFault.
 */
export function replyIsProviderFault(reply: SmtpReply): boolean {
  const { code, enhancedCode } = reply;
  if (code === 421 || code === 454) return true;
  if (code === 530 || code === 534 || code === 535 || code === 538) return true;
  if (!enhancedCode) return false;
  const [klass, subject, detail] = enhancedCode.split(".");
  if (subject === "7" && (detail === "8" || detail === "9")) return true;
  if (klass !== "4") return false;
  if (subject === "3" || subject === "4") return true;
  return subject === "7" && detail === "0";
}

/**
 * Whether a chain should try the next provider after this error. Errors that are not
 * TransportErrors are bugs or our own failures (a message we could not build): another
 * provider would fail the same way. A refusal of every recipient at RCPT TO counts as the
 * provider's only when every one of those replies is.
 */
export function isProviderFault(error: unknown): boolean {
  if (!(error instanceof TransportError)) return false;
  if (error.providerFault) return true;
  if (error.rejected.length > 0) {
    return error.rejected.every((rejection) => replyIsProviderFault(rejection.reply));
  }
  return replyIsProviderFault(error.reply);
}
