import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { inList, timestamptz } from "./columns.ts";

/**
 * People who sign in to the console. The email is stored lowercased and unique whatever its
 * case. A user who only ever signed in through single sign-on has no password.
 */
export const users = pgTable(
  "users",
  {
    id: uuid().primaryKey(),
    email: text().notNull(),
    name: text(),
    /** argon2id (PHC string); null for single-sign-on-only users. */
    passwordHash: text(),
    emailVerifiedAt: timestamptz(),
    /** The TOTP secret (base32), sealed (lib/secrets.ts). Set at setup, used once enabled. */
    mfaSecret: text(),
    mfaEnabledAt: timestamptz(),
    /** The last TOTP time step accepted: a code is never accepted twice. */
    mfaLastStep: integer(),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (table) => [uniqueIndex("users_email_idx").on(sql`lower(${table.email})`)],
);

/** MFA recovery codes: SHA-256 of each (they are random, 80 bits), each usable once. */
export const userRecoveryCodes = pgTable(
  "user_recovery_codes",
  {
    id: uuid().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text().notNull(),
    usedAt: timestamptz(),
  },
  (table) => [index("user_recovery_codes_user_id_idx").on(table.userId)],
);

export const USER_TOKEN_PURPOSES = ["password_reset", "email_verification"] as const;
export type UserTokenPurpose = (typeof USER_TOKEN_PURPOSES)[number];

/** Single-use links sent by email (password reset, email verification): only their hash. */
export const userTokens = pgTable(
  "user_tokens",
  {
    id: uuid().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text({ enum: USER_TOKEN_PURPOSES }).notNull(),
    tokenHash: text().notNull().unique(),
    expiresAt: timestamptz().notNull(),
    usedAt: timestamptz(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (table) => [
    index("user_tokens_user_id_idx").on(table.userId),
    check("user_tokens_purpose_check", sql`${table.purpose} in (${inList(USER_TOKEN_PURPOSES)})`),
  ],
);

/**
 * Failed sign-ins per account, keyed by the SHA-256 of the lowercased email rather than by
 * user: unknown emails are counted and locked exactly like known ones, so the answers do not
 * tell whether an account exists.
 */
export const loginThrottles = pgTable("login_throttles", {
  emailHash: text().primaryKey(),
  /** Consecutive failures since the last success. */
  failures: integer().notNull().default(0),
  lockedUntil: timestamptz(),
  lastFailureAt: timestamptz(),
});
