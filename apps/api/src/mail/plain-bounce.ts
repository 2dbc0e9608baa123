import type { AddressObject, ParsedMail } from "mailparser";
import { normalizeMessageId } from "./report-fields.ts";
import type { DsnAction, DsnRecipient, DsnReport } from "./report-types.ts";

/**
 * Bounces without a message/delivery-status part: qmail's "Hi. This is the qmail-send program",
 * old Gmail and Exim texts with X-Failed-Recipients, and the like. Read only as far as they
 * reliably go: who failed, and the status code when the text quotes one.
 */

const BOUNCE_SENDERS = /^(?:mailer-daemon|mailerdaemon|mail-daemon|postmaster)$/i;
const BOUNCE_SUBJECT =
  /undeliver|returned mail|returned to sender|failure notice|delivery (?:status notification|failure|failed|has failed|problem|notification)|mail delivery failed|non-?delivery|could not be delivered|delayed mail|delivery delayed/i;
const QMAIL = /This is the qmail-send program/i;
/** Lines that open the returned copy; what follows is the original, not the explanation. */
const COPY_MARKER =
  /^[ \t]*-*[ \t]*(?:Below this line is a copy of the message|This is a copy of the message|Original message|Undelivered message headers|The header of the original message|Returned message|Message headers follow)/im;
/** qmail's per-recipient block: `<address>:` alone on a line. */
const QMAIL_RECIPIENT = /^<([^\s<>@]+@[^\s<>]+)>:[ \t]*$/gm;
/** Lines that announce the addresses listed under them (old Gmail, Exchange 2003, Exim). */
const LIST_INTRO =
  /following (?:recipient|address)|could not be delivered to|failed to these recipients|failed permanently|has been delayed/i;
const ADDRESS_LINE = /^[ \t]*<?([^\s<>@,;:"]+@[^\s<>,;:"]+?)>?[ \t]*:?[ \t]*$/;
/** Enhanced codes as qmail writes them too: `(#5.1.1)`. */
const ENHANCED = /(?:^|[\s(#-])([245])\.(\d{1,3})\.(\d{1,3})(?=$|[\s.,;:)\]])/;
const BASIC = /(?:^|\s)([45])\d\d(?=[\s-])/;
const DELAYED =
  /delay|will (?:continue|keep) (?:trying|to try)|still (?:trying|being retried)|not yet been delivered|will retry/i;
const PERMANENT =
  /permanent|given up|giving up|failed permanently|could not be delivered|undeliverable|does not exist|user unknown|no such user/i;

export function parsePlainTextBounce(mail: ParsedMail): DsnReport | undefined {
  const text = mail.text ?? "";
  const failedHeader = headerText(mail, "x-failed-recipients");
  const isQmail = QMAIL.test(text);
  const looksLikeBounce =
    isQmail ||
    failedHeader !== undefined ||
    fromBounceSender(mail.from) ||
    BOUNCE_SUBJECT.test(mail.subject ?? "");
  if (!looksLikeBounce) return undefined;

  const markerAt = text.search(COPY_MARKER);
  const notice = markerAt === -1 ? text : text.slice(0, markerAt);
  const copy = markerAt === -1 ? "" : text.slice(markerAt);

  const addresses = isQmail
    ? [...notice.matchAll(QMAIL_RECIPIENT)].map((match) => match[1] ?? "")
    : [...splitAddresses(failedHeader), ...listedAddresses(notice)];
  const unique = [...new Map(addresses.filter(Boolean).map((a) => [a.toLowerCase(), a])).values()];
  if (unique.length === 0) return undefined;

  const delayed =
    !isQmail && DELAYED.test(`${mail.subject ?? ""}\n${notice}`) && !PERMANENT.test(notice);
  const recipients = unique.map((address) => recipientFrom(address, notice, delayed, isQmail));
  return {
    kind: "dsn",
    format: "plain-text",
    recipients,
    originalMessageId: normalizeMessageId(/^message-id[ \t]*:[ \t]*(.+)$/im.exec(copy)?.[1]),
  };
}

function recipientFrom(
  address: string,
  notice: string,
  delayed: boolean,
  isQmail: boolean,
): DsnRecipient {
  // The explanation of a recipient follows its address; the next address ends it.
  const at = notice.toLowerCase().indexOf(address.toLowerCase());
  const after = at === -1 ? notice : notice.slice(at + address.length);
  const nextBlock = after.search(/^<[^\s<>@]+@[^\s<>]+>:[ \t]*$/m);
  const block = (nextBlock === -1 ? after : after.slice(0, nextBlock)).slice(0, 2000);
  const enhanced = ENHANCED.exec(block) ?? ENHANCED.exec(notice);
  const basic = BASIC.exec(block);
  const status = enhanced
    ? `${enhanced[1]}.${enhanced[2]}.${enhanced[3]}`
    : basic
      ? `${basic[1]}.0.0`
      : delayed
        ? "4.0.0"
        : "5.0.0";
  const action: DsnAction = delayed ? "delayed" : "failed";
  const reply = /Remote host said:[ \t]*(.+)/i.exec(block)?.[1]?.trim();
  // qmail's blocks are well delimited: without a server's reply, its own words explain.
  const explanation = isQmail
    ? block
        .replace(/^[>:\s]+/, "")
        .replace(/\s+/g, " ")
        .trim()
        .slice(0, 500)
    : undefined;
  return {
    finalRecipient: address,
    action,
    status,
    diagnosticCode: reply ?? (explanation || undefined),
    diagnosticType: reply ? "smtp" : undefined,
  };
}

function fromBounceSender(from: AddressObject | undefined): boolean {
  const address = from?.value[0]?.address ?? "";
  const local = address.slice(0, address.lastIndexOf("@"));
  return BOUNCE_SENDERS.test(local) || /mail delivery (?:subsystem|system)/i.test(from?.text ?? "");
}

function headerText(mail: ParsedMail, name: string): string | undefined {
  const value = mail.headers.get(name);
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(",") : String(value);
}

function splitAddresses(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(/[,\s]+/)
    .map((part) => part.replace(/^<|>$/g, ""))
    .filter((part) => part.includes("@"));
}

/** Addresses alone on their lines in the paragraph that follows an introducing sentence. */
function listedAddresses(notice: string): string[] {
  const found: string[] = [];
  const lines = notice.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    if (!LIST_INTRO.test(lines[i] ?? "")) continue;
    let seenAddress = false;
    for (let j = i + 1; j < lines.length && j < i + 50; j++) {
      const line = lines[j] ?? "";
      const match = ADDRESS_LINE.exec(line);
      if (match?.[1]) {
        found.push(match[1]);
        seenAddress = true;
      } else if (line.trim() === "") {
        if (seenAddress) break;
      } else {
        break;
      }
    }
  }
  return found;
}
