import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/**
 * Compact tamper-proof tokens for links in mail (open pixel, click redirect, unsubscribe):
 * `base64url(payload ‖ tag)`, tag = HMAC-SHA256(key, len(purpose) ‖ purpose ‖ payload)
 * truncated to 16 bytes. The payload travels in clear: it names an email and a recipient,
 * never a secret, and the server needs no lookup to read it.
 *
 * Why 16 bytes: a forger has to guess the tag online, one request to our server per try, and
 * 2^128 tries is out of reach for anyone; RFC 2104 §5 and NIST SP 800-107 allow truncating an
 * HMAC to no less than half its length (and 80 bits), and 128 bits is that half. The other 16
 * bytes would add 22 characters to every link in every email for no practical gain.
 *
 * The purpose is in the MAC input, so a token made for one use (a click) is refused for
 * another (an unsubscribe) even under the same key; deriveKey() gives each use its own key as
 * well, so a leak or a bug in one kind cannot mint the others.
 */
export const TAG_BYTES = 16;

/** A master key shorter than this is a configuration mistake, not a key. */
export const MIN_MASTER_KEY_BYTES = 32;

/** Past this a token is not one of ours (a click token carries a URL, so allow for long ones). */
const MAX_TOKEN_CHARS = 8192;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Fixed HKDF salt (RFC 5869 §3.1: a constant salt is fine when the key is uniformly random). */
const HKDF_SALT = Buffer.from("thrive-send/signed-token/v1");

/** A 32-byte key for one purpose, derived from the master key with HKDF-SHA256. */
export function deriveKey(master: Buffer, purpose: string): Buffer {
  if (master.length < MIN_MASTER_KEY_BYTES) {
    throw new RangeError(`the master key must have at least ${MIN_MASTER_KEY_BYTES} bytes`);
  }
  return Buffer.from(hkdfSync("sha256", master, HKDF_SALT, purposeBytes(purpose), 32));
}

export function signToken(key: Buffer, purpose: string, payload: Buffer | Uint8Array): string {
  return Buffer.concat([payload, tagOf(key, purpose, payload)]).toString("base64url");
}

/**
 * The payload of a token this key (or one of these keys: current first, then retired ones
 * still honoured) signed for this purpose; null for anything else, including input that is
 * not a token at all. Never throws on what the token holds.
 */
export function verifyToken(
  key: Buffer | readonly Buffer[],
  purpose: string,
  token: unknown,
): Buffer | null {
  const bytes = decodeToken(token);
  if (!bytes) return null;
  const payload = bytes.subarray(0, bytes.length - TAG_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  for (const candidate of Array.isArray(key) ? key : [key]) {
    if (timingSafeEqual(tag, tagOf(candidate, purpose, payload))) return Buffer.from(payload);
  }
  return null;
}

function decodeToken(token: unknown): Buffer | null {
  if (typeof token !== "string" || token.length > MAX_TOKEN_CHARS) return null;
  if (!BASE64URL.test(token)) return null;
  const bytes = Buffer.from(token, "base64url");
  // Node's decoder ignores stray trailing bits; insisting on the canonical spelling gives every
  // payload exactly one token, so tokens can be compared or used as keys as strings.
  if (bytes.length < TAG_BYTES || bytes.toString("base64url") !== token) return null;
  return bytes;
}

function tagOf(key: Buffer, purpose: string, payload: Buffer | Uint8Array): Buffer {
  const name = purposeBytes(purpose);
  return createHmac("sha256", key)
    .update(Buffer.of(name.length))
    .update(name)
    .update(payload)
    .digest()
    .subarray(0, TAG_BYTES);
}

function purposeBytes(purpose: string): Buffer {
  const bytes = Buffer.from(purpose, "utf8");
  // The length prefix is one byte: it keeps "ab"+"c…" and "a"+"bc…" apart.
  if (bytes.length === 0 || bytes.length > 255) {
    throw new RangeError("a token purpose must have 1 to 255 bytes");
  }
  return bytes;
}
