import { pgTable, text, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { organizations } from "./organizations.ts";

/**
 * An organization that requires signed API requests (lib/request-signature.ts) has a row
 * here: its HMAC secret, sealed at rest, and the one it replaced, still accepted until
 * `previous_expires_at` so that clients can switch without a refused request.
 */
export const requestSigningSecrets = pgTable("request_signing_secrets", {
  orgId: uuid()
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  secret: text().notNull(),
  previousSecret: text(),
  previousExpiresAt: timestamptz(),
  createdAt: timestamptz().notNull().defaultNow(),
  updatedAt: timestamptz().notNull().defaultNow(),
});

/**
 * Signatures already used, kept for the replay window: a signed request is accepted once,
 * by whichever API process gets it first (the primary key decides).
 */
export const requestSignatureUses = pgTable("request_signature_uses", {
  /** SHA-256 of the organization and the signed request (method, path, timestamp, body). */
  signatureHash: text().primaryKey(),
  expiresAt: timestamptz().notNull(),
});
