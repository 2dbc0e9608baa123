import addressparser from "nodemailer/lib/addressparser";
import { z } from "zod";

export interface ParsedAddress {
  name: string;
  address: string;
}

const EMAIL = z.regexes.email;
const LINE_BREAK = /[\r\n]/;
/** `a@b.c` and `Plain Name <a@b.c>`: most addresses, checked without the full parser. */
const BARE = /^[^\s<>"(),:;\\]+$/;
const NAMED = /^([^<>"(),:;\\\r\n]*?)\s*<([^<>\s]+)>\s*$/;

/**
 * Parses one address as Resend accepts it: `a@b.c` or `Name <a@b.c>`. Answers a reason
 * instead when it is not exactly one valid address.
 */
export function parseAddress(input: string): ParsedAddress | { error: string } {
  if (LINE_BREAK.test(input)) return { error: "must not contain line breaks" };
  if (BARE.test(input) && EMAIL.test(input)) return { name: "", address: input };
  const named = NAMED.exec(input);
  if (named?.[2] && EMAIL.test(named[2]))
    return { name: (named[1] ?? "").trim(), address: named[2] };
  const parsed = addressparser(input, { flatten: true });
  if (parsed.length !== 1 || !parsed[0]) {
    return {
      error: "must be exactly one address, as `email@example.com` or `Name <email@example.com>`",
    };
  }
  const { name, address } = parsed[0];
  if (!address || !EMAIL.test(address)) {
    return { error: `\`${address || input}\` is not a valid email address` };
  }
  return { name, address };
}

export function bareAddress(input: string): string {
  const parsed = parseAddress(input);
  if ("error" in parsed) throw new Error(`not an address: ${parsed.error}`);
  return parsed.address;
}

/** The domain of an address, lower-cased (for Message-ID and, later, domain checks). */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1).toLowerCase();
}
