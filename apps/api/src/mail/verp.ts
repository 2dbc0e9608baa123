import { createHmac, timingSafeEqual } from "node:crypto";

/** RFC 4648 base32 without padding, lowercase: VERP local parts must survive case-folding. */
const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
const TAG_BYTES = 10;
const PREFIX = "b+";

export interface VerpTarget {
  emailId: string;
  /** Index of the recipient in the email's recipient list (to, cc, bcc; each once). */
  recipient: number;
}

/**
 * The return path (envelope sender) of one recipient's copy: `b+<token>@<return-path domain>`.
 * A bounce comes back to it, and the token says which email and recipient bounced. It is
 * signed (HMAC, 80 bits) so that mail to a guessed address cannot bounce someone else's email,
 * and short (47 characters of the 64 a local part may have).
 */
export function verpAddress(key: Buffer, target: VerpTarget, domain: string): string {
  const payload = Buffer.concat([
    Buffer.from(target.emailId.replace(/-/g, ""), "hex"),
    Buffer.from([target.recipient]),
  ]);
  return `${PREFIX}${base32(Buffer.concat([payload, tag(key, payload)]))}@${domain}`;
}

/** The email and recipient a bounce address stands for, or null when it is not ours. */
export function parseVerpAddress(key: Buffer, address: string): VerpTarget | null {
  const local = address.slice(0, address.lastIndexOf("@")).toLowerCase();
  if (!local.startsWith(PREFIX)) return null;
  const raw = fromBase32(local.slice(PREFIX.length));
  if (!raw || raw.length !== 17 + TAG_BYTES) return null;
  const payload = raw.subarray(0, 17);
  if (!timingSafeEqual(tag(key, payload), raw.subarray(17))) return null;
  const hex = payload.subarray(0, 16).toString("hex");
  return {
    emailId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    recipient: payload[16] ?? 0,
  };
}

function tag(key: Buffer, payload: Buffer): Buffer {
  return createHmac("sha256", key).update("verp\0").update(payload).digest().subarray(0, TAG_BYTES);
}

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function fromBase32(text: string): Buffer | null {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of text) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) return null;
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
