import { randomBytes } from "node:crypto";

/** Svix's own length: 192 bits, and base64 without padding. */
const SECRET_BYTES = 24;

/**
 * A signing secret in Svix's (and Standard Webhooks') format, `whsec_<base64>`: what the `svix`
 * and `standardwebhooks` libraries (and Resend's `webhooks.verify`) take as is.
 */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES).toString("base64")}`;
}

/** After a rotation, the previous secret keeps signing beside the new one for this long. */
export const PREVIOUS_SECRET_TTL_MS = 24 * 60 * 60_000;
