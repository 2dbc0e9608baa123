import { randomBytes } from "node:crypto";
import { and, count, eq, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { userRecoveryCodes, users } from "../../db/schema/index.ts";
import { AppError } from "../../lib/errors.ts";
import { sha256Hex } from "../../lib/hash.ts";
import { newId } from "../../lib/ids.ts";
import { recordUserAudit, userTarget } from "../audit/user-audit.ts";
import { clearLoginFailures, lockedUntil } from "../users/login-throttle.ts";
import { newTotpSecret, totpUri, verifyTotp } from "../users/totp.ts";
import { findUser, type UserRow } from "../users/users.ts";
import type { IdentityContext } from "./identity-context.ts";
import { auditLockedAttempt, lockedError, recordFailedAttempt } from "./lockout.ts";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** How a second factor was given. */
export type SecondFactor = "totp" | "recovery_code";

/** What a code is checked for, in the audit entries. */
export type SecondFactorPurpose = "sign_in" | "disable_mfa";

const RECOVERY_CODES = 10;

/** `xxxxx-xxxxx` in a base32 alphabet without look-alikes: 50 random bits each. */
function newRecoveryCode(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const bytes = randomBytes(10);
  const chars = [...bytes].map((byte) => alphabet[byte % alphabet.length]);
  return `${chars.slice(0, 5).join("")}-${chars.slice(5).join("")}`;
}

const hashRecoveryCode = (code: string) => sha256Hex(code.trim().toLowerCase());

export async function userOrFail(db: Pick<Db, "select">, userId: string): Promise<UserRow> {
  const user = await findUser(db, userId);
  if (!user) throw new AppError("invalid_session", "Your session has ended: sign in again");
  return user;
}

/** A new secret for the user's authenticator app (not in force until enabled with a code). */
export async function setUpMfa({ ctx, userId }: { ctx: IdentityContext; userId: string }) {
  const user = await userOrFail(ctx.db, userId);
  if (user.mfaEnabledAt) throw new AppError("invalid_state", "MFA is on already: disable it first");
  const secret = newTotpSecret();
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ mfaSecret: ctx.secrets.seal(secret), updatedAt: ctx.now })
      .where(eq(users.id, userId));
    await recordUserAudit(tx, ctx.audit, userId, {
      action: "user.mfa_set_up",
      target: userTarget(userId),
    });
  });
  return { object: "mfa_setup" as const, secret, otpauth_uri: totpUri(secret, user.email) };
}

/** Turns MFA on with a first code from the app; answers the recovery codes, shown only now. */
export async function enableMfa({
  ctx,
  userId,
  code,
}: {
  ctx: IdentityContext;
  userId: string;
  code: string;
}) {
  const user = await userOrFail(ctx.db, userId);
  if (user.mfaEnabledAt) throw new AppError("invalid_state", "MFA is on already");
  if (!user.mfaSecret)
    throw new AppError("invalid_state", "Set MFA up first (POST /auth/mfa/setup)");
  const step = await verifyTotp({
    secret: ctx.secrets.open(user.mfaSecret),
    code,
    now: ctx.now,
    lastStep: null,
  });
  if (step === null) throw new AppError("invalid_credentials", "Wrong code");
  const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ mfaEnabledAt: ctx.now, mfaLastStep: step, updatedAt: ctx.now })
      .where(eq(users.id, userId));
    await tx.delete(userRecoveryCodes).where(eq(userRecoveryCodes.userId, userId));
    await tx
      .insert(userRecoveryCodes)
      .values(codes.map((c) => ({ id: newId(), userId, codeHash: hashRecoveryCode(c) })));
    await recordUserAudit(tx, ctx.audit, userId, {
      action: "user.mfa_enabled",
      target: userTarget(userId),
      details: { recovery_codes: codes.length },
    });
  });
  return { object: "mfa" as const, enabled: true as const, recovery_codes: codes };
}

/**
 * Checks a TOTP code or a recovery code of a user with MFA on, each usable once, and answers
 * which it was. Failures count towards the account's lockout like wrong passwords (six digits
 * must not be guessable), and are audited with it (`user.mfa_verify_failed`); a recovery code
 * is audited as it is spent (`user.recovery_code_used`).
 */
export async function checkSecondFactor(
  ctx: IdentityContext,
  user: UserRow,
  code: string,
  purpose: SecondFactorPurpose,
): Promise<SecondFactor> {
  const locked = await lockedUntil(ctx.db, user.email, ctx.now);
  if (locked) {
    auditLockedAttempt(ctx, {
      userId: user.id,
      action: "user.mfa_verify_failed",
      details: { purpose },
    });
    throw lockedError(locked, ctx.now);
  }
  const used = await ctx.db.transaction(async (tx) => {
    const factor = await consumeSecondFactor(tx, ctx, user, code.trim());
    if (!factor) return null;
    await clearLoginFailures(tx, user.email);
    if (factor === "recovery_code") {
      const [left] = await tx
        .select({ n: count() })
        .from(userRecoveryCodes)
        .where(and(eq(userRecoveryCodes.userId, user.id), isNull(userRecoveryCodes.usedAt)));
      await recordUserAudit(tx, ctx.audit, user.id, {
        action: "user.recovery_code_used",
        target: userTarget(user.id),
        details: { purpose, remaining: left?.n ?? 0 },
      });
    }
    return factor;
  });
  if (used) return used;
  await recordFailedAttempt(ctx, {
    email: user.email,
    userId: user.id,
    action: "user.mfa_verify_failed",
    details: { purpose, reason: "invalid_code" },
  });
  throw new AppError("invalid_credentials", "Wrong code");
}

async function consumeSecondFactor(
  tx: Tx,
  ctx: IdentityContext,
  user: UserRow,
  code: string,
): Promise<SecondFactor | null> {
  if (/^\d{6}$/.test(code)) {
    if (!user.mfaSecret) return null;
    const step = await verifyTotp({
      secret: ctx.secrets.open(user.mfaSecret),
      code,
      now: ctx.now,
      lastStep: user.mfaLastStep,
    });
    if (step === null) return null;
    // Conditional: two requests with the same code at once, one wins.
    const advanced = await tx
      .update(users)
      .set({ mfaLastStep: step })
      .where(
        and(
          eq(users.id, user.id),
          or(isNull(users.mfaLastStep), sql`${users.mfaLastStep} < ${step}`),
        ),
      )
      .returning({ id: users.id });
    return advanced.length > 0 ? "totp" : null;
  }
  const used = await tx
    .update(userRecoveryCodes)
    .set({ usedAt: ctx.now })
    .where(
      and(
        eq(userRecoveryCodes.userId, user.id),
        eq(userRecoveryCodes.codeHash, hashRecoveryCode(code)),
        isNull(userRecoveryCodes.usedAt),
      ),
    )
    .returning({ id: userRecoveryCodes.id });
  return used.length > 0 ? "recovery_code" : null;
}

/** Turns MFA off, with a code (TOTP or recovery): a stolen session alone cannot. */
export async function disableMfa({
  ctx,
  userId,
  code,
}: {
  ctx: IdentityContext;
  userId: string;
  code: string;
}) {
  const user = await userOrFail(ctx.db, userId);
  if (!user.mfaEnabledAt) throw new AppError("invalid_state", "MFA is not on");
  const factor = await checkSecondFactor(ctx, user, code, "disable_mfa");
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ mfaEnabledAt: null, mfaSecret: null, mfaLastStep: null, updatedAt: ctx.now })
      .where(eq(users.id, userId));
    await tx.delete(userRecoveryCodes).where(eq(userRecoveryCodes.userId, userId));
    await recordUserAudit(tx, ctx.audit, userId, {
      action: "user.mfa_disabled",
      target: userTarget(userId),
      details: { second_factor: factor },
    });
  });
  return { object: "mfa" as const, enabled: false as const };
}
