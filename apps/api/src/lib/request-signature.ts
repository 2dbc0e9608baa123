import { createHmac, timingSafeEqual } from "node:crypto";
import { sha256Hex } from "./hash.ts";

/**
 * Request signing, for organizations that require it (POST /request-signing/rotate): each
 * request carries
 *
 *   X-Thrive-Timestamp: <unix seconds>
 *   X-Thrive-Signature: v1=<hex HMAC-SHA256(secret, base)>
 *
 * where `base` is `METHOD\npath?query\ntimestamp\nhex SHA-256(body)` (the path and query as
 * sent, the body's bytes as sent, the empty body's hash for a GET). The secret is the string
 * the API answered, as UTF-8 bytes. Several `v1=` entries may be given, separated by commas
 * (signing with both secrets during a rotation); one valid entry is enough. A timestamp more
 * than the window away from the server's clock is refused, and so is a request already
 * seen within the window (services/api-keys/signature-replays.ts): the same method, path,
 * body and timestamp are accepted once, whichever secret signed them.
 */
export const TIMESTAMP_HEADER = "x-thrive-timestamp";
export const SIGNATURE_HEADER = "x-thrive-signature";
export const SIGNATURE_WINDOW_SECONDS = 300;

export function signatureBase(
  method: string,
  pathAndQuery: string,
  timestamp: string,
  body: string | Buffer,
): string {
  return `${method.toUpperCase()}\n${pathAndQuery}\n${timestamp}\n${sha256Hex(body)}`;
}

export function signRequest(secret: string, base: string): string {
  return `v1=${createHmac("sha256", secret).update(base).digest("hex")}`;
}

export type SignatureCheck =
  /** `request` names what was signed (not which secret signed it), for the replay check. */
  { ok: true; request: string; timestamp: number } | { ok: false; reason: string };

/** Checks the headers against the secrets; the replay check is the caller's (it needs a store). */
export function checkRequestSignature(input: {
  secrets: readonly string[];
  method: string;
  pathAndQuery: string;
  body: string | Buffer;
  timestamp: string | undefined;
  signature: string | undefined;
  nowMs: number;
}): SignatureCheck {
  if (!input.timestamp || !input.signature) {
    return {
      ok: false,
      reason: `This organization requires signed requests: send ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER}`,
    };
  }
  if (!/^\d{1,12}$/.test(input.timestamp)) {
    return { ok: false, reason: `${TIMESTAMP_HEADER} must be a Unix time in seconds` };
  }
  const timestamp = Number(input.timestamp);
  if (Math.abs(input.nowMs / 1000 - timestamp) > SIGNATURE_WINDOW_SECONDS) {
    return {
      ok: false,
      reason: `${TIMESTAMP_HEADER} is more than ${SIGNATURE_WINDOW_SECONDS} seconds from the server's time`,
    };
  }
  const base = signatureBase(input.method, input.pathAndQuery, input.timestamp, input.body);
  const given = input.signature
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith("v1="));
  for (const secret of input.secrets) {
    const expected = Buffer.from(signRequest(secret, base));
    const match = given.find((entry) => {
      const candidate = Buffer.from(entry);
      return candidate.length === expected.length && timingSafeEqual(candidate, expected);
    });
    if (match) return { ok: true, request: base, timestamp };
  }
  return { ok: false, reason: `${SIGNATURE_HEADER} does not match the request` };
}
