import { randomBytes } from "node:crypto";
import { sha256Hex } from "../../lib/hash.ts";

const TOKEN_PREFIX = "ts_";
/** Enough of the token to tell keys apart in a list, far too little to guess the rest. */
const DISPLAY_LENGTH = 9;

export interface IssuedToken {
  token: string;
  hash: string;
  displayPrefix: string;
}

/** A new API key: 192 random bits, shown to its creator once. */
export function issueToken(): IssuedToken {
  return describeToken(TOKEN_PREFIX + randomBytes(24).toString("base64url"));
}

export function describeToken(token: string): IssuedToken {
  return { token, hash: hashToken(token), displayPrefix: token.slice(0, DISPLAY_LENGTH) };
}

export function hashToken(token: string): string {
  return sha256Hex(token);
}
