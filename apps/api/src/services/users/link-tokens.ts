import { randomBytes } from "node:crypto";
import { sha256Hex } from "../../lib/hash.ts";

/**
 * The tokens of links sent by email (invitations, password resets, verifications): 256 random
 * bits, so a plain SHA-256 is enough to store them (nothing to brute-force), and a database
 * leak does not give working links.
 */
export function issueLinkToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return sha256Hex(token);
}
