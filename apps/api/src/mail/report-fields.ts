/**
 * The header-style bodies of machine-readable reports: message/delivery-status (RFC 3464) and
 * message/feedback-report (RFC 5965). Both are groups of `Name: value` fields separated by blank
 * lines, with RFC 5322 folding; DSNs put the per-message group first and one group per recipient
 * after it.
 */

/** One group of fields, names lower-cased. A repeated field keeps every value, in order. */
export type FieldGroup = Map<string, string[]>;

const FIELD = /^([!-9;-~]+)[ \t]*:(.*)$/;
/** Fields that open a recipient's group: seeing one again means the next recipient began. */
const RECIPIENT_OPENERS = new Set(["final-recipient", "original-recipient"]);

/**
 * Splits a report body into its field groups. Lenient where real MTAs are sloppy: lines of
 * blanks count as blank, lines that are no field are skipped, and a recipient group that starts
 * without a blank line before it (seen from some appliances) still starts a new group.
 */
export function parseFieldGroups(text: string): FieldGroup[] {
  const groups: FieldGroup[] = [];
  let group: FieldGroup = new Map();
  let last: { values: string[]; index: number } | undefined;

  const close = () => {
    if (group.size > 0) groups.push(group);
    group = new Map();
    last = undefined;
  };

  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.trim() === "") {
      close();
      continue;
    }
    if (/^[ \t]/.test(line)) {
      // A folded continuation of the field before it (RFC 5322 section 2.2.3).
      if (last) last.values[last.index] = `${last.values[last.index]} ${line.trim()}`.trim();
      continue;
    }
    const match = FIELD.exec(line);
    if (!match) {
      last = undefined;
      continue;
    }
    const name = (match[1] ?? "").toLowerCase();
    const value = (match[2] ?? "").trim();
    if (RECIPIENT_OPENERS.has(name) && opensNewRecipient(group, name)) close();
    const values = group.get(name) ?? [];
    values.push(value);
    group.set(name, values);
    last = { values, index: values.length - 1 };
  }
  close();
  return groups;
}

function opensNewRecipient(group: FieldGroup, name: string): boolean {
  if (group.has(name)) return true;
  // Original-Recipient conventionally comes first: after a Final-Recipient it starts the next.
  return name === "original-recipient" && group.has("final-recipient");
}

/** The first value of a field, when present and not empty. */
export function field(group: FieldGroup, name: string): string | undefined {
  const value = group.get(name)?.[0];
  return value ? value : undefined;
}

/**
 * The value of a typed field (`address-type ; address`, `diagnostic-type ; text`,
 * `mta-name-type ; name`) without its type. A value without a `;` is taken whole, as some MTAs
 * leave the type out.
 */
export function untyped(value: string): { type: string | undefined; value: string } {
  const match = /^([A-Za-z][A-Za-z0-9-]*)[ \t]*;[ \t]*(.*)$/s.exec(value);
  if (!match) return { type: undefined, value: value.trim() };
  return { type: (match[1] ?? "").toLowerCase(), value: (match[2] ?? "").trim() };
}

/**
 * An address from a typed address field: the type dropped, angle brackets and trailing
 * comments removed. `utf-8` addresses (RFC 6533) have their `\x{HEX}` escapes decoded.
 */
export function addressOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const typed = untyped(value);
  let address = typed.value.replace(/\s*\(.*\)\s*$/, "").trim();
  const bracketed = /<([^<>]*)>/.exec(address);
  if (bracketed) address = bracketed[1] ?? "";
  if (typed.type === "utf-8") address = decodeUtf8AddrXtext(address);
  address = address.trim();
  return address ? address : undefined;
}

function decodeUtf8AddrXtext(value: string): string {
  return value.replace(/\\x\{([0-9A-Fa-f]{1,6})\}/g, (whole, hex: string) => {
    const codePoint = Number.parseInt(hex, 16);
    return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : whole;
  });
}

/**
 * The Message-ID from a block of RFC 5322 headers (the returned message, or its headers only),
 * in the `<id@host>` form the emails table stores.
 */
export function messageIdFromHeaders(text: string): string | undefined {
  const body = text.replace(/^(?:[ \t]*\r?\n)+/, "");
  const end = body.search(/\r?\n\r?\n/);
  const head = end === -1 ? body : body.slice(0, end);
  const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
  const match = /^message-id[ \t]*:[ \t]*(.*)$/im.exec(unfolded);
  return normalizeMessageId(match?.[1]);
}

/** `<id@host>`, whatever brackets or spacing the reporter gave it; undefined when empty. */
export function normalizeMessageId(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const bracketed = /<([^<>\s]+)>/.exec(value);
  const id = bracketed ? bracketed[1] : value.trim().split(/\s+/)[0];
  return id ? `<${id}>` : undefined;
}

/** A date field as a Date, or undefined when it does not parse. */
export function dateOf(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value.replace(/\s*\([^)]*\)\s*$/, ""));
  return Number.isNaN(date.getTime()) ? undefined : date;
}
