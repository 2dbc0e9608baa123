import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { users } from "../../db/schema/index.ts";
import { AppError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { isUniqueViolation } from "../providers/unique-violation.ts";
import { normalizeEmail } from "./login-throttle.ts";

export type UserRow = typeof users.$inferSelect;

export async function findUserByEmail(
  db: Pick<Db, "select">,
  email: string,
): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${normalizeEmail(email)}`)
    .limit(1);
  return row;
}

export async function findUser(db: Pick<Db, "select">, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

/** 409 already_exists when the email (whatever its case) has an account. */
export async function createUser(
  db: Pick<Db, "insert">,
  input: {
    email: string;
    name?: string | null | undefined;
    passwordHash: string | null;
    emailVerifiedAt?: Date | null;
    now: Date;
  },
): Promise<UserRow> {
  try {
    const [row] = await db
      .insert(users)
      .values({
        id: newId(),
        email: normalizeEmail(input.email),
        name: input.name ?? null,
        passwordHash: input.passwordHash,
        emailVerifiedAt: input.emailVerifiedAt ?? null,
        createdAt: input.now,
        updatedAt: input.now,
      })
      .returning();
    if (!row) throw new Error("insert returned no row");
    return row;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new AppError("already_exists", "An account with this email exists already: sign in", [
      { path: "email", message: "has an account already" },
    ]);
  }
}

export function userView(row: UserRow) {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    email_verified: row.emailVerifiedAt !== null,
    mfa_enabled: row.mfaEnabledAt !== null,
    created_at: row.createdAt.toISOString(),
  };
}
