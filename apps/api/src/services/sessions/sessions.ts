import { randomBytes } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { memberships, organizations, sessions, users } from "../../db/schema/index.ts";
import { sha256Hex } from "../../lib/hash.ts";
import { newId } from "../../lib/ids.ts";

type Executor = Pick<Db, "insert" | "select" | "update">;

export interface SessionTimeouts {
  idleMs: number;
  absoluteMs: number;
}

/** A session as the cookie's token finds it, with what authorization needs. */
export interface ActiveSession {
  id: string;
  userId: string;
  /** The active organization; null when the user belongs to none. */
  orgId: string | null;
  /** The user's role there; null when they are no longer a member, or it was deleted. */
  role: string | null;
  mfaVerified: boolean;
  /** The user has MFA on: until `mfaVerified`, the session can only verify a code. */
  mfaEnabled: boolean;
  rotationRequired: boolean;
  lastSeenAt: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
}

export interface NewSession {
  id: string;
  /** The cookie's value; only its hash is stored. */
  token: string;
  absoluteExpiresAt: Date;
}

/** last_seen_at and the idle expiry are written at most this often, not on every request. */
const TOUCH_RESOLUTION_MS = 60_000;

export function hashSessionToken(token: string): string {
  return sha256Hex(token);
}

export async function createSession(
  db: Executor,
  input: {
    userId: string;
    orgId: string | null;
    mfaVerified: boolean;
    ip?: string | null;
    userAgent?: string | null;
    now: Date;
    timeouts: SessionTimeouts;
    /** A rotated session keeps its predecessor's: rotation never extends a session's life. */
    absoluteExpiresAt?: Date;
  },
): Promise<NewSession> {
  const token = randomBytes(32).toString("base64url");
  const id = newId();
  const absoluteExpiresAt =
    input.absoluteExpiresAt ?? new Date(input.now.getTime() + input.timeouts.absoluteMs);
  await db.insert(sessions).values({
    id,
    tokenHash: hashSessionToken(token),
    userId: input.userId,
    orgId: input.orgId,
    mfaVerified: input.mfaVerified,
    ip: input.ip ?? null,
    userAgent: input.userAgent?.slice(0, 512) ?? null,
    createdAt: input.now,
    lastSeenAt: input.now,
    idleExpiresAt: earliest(
      new Date(input.now.getTime() + input.timeouts.idleMs),
      absoluteExpiresAt,
    ),
    absoluteExpiresAt,
  });
  return { id, token, absoluteExpiresAt };
}

/** The live session of a cookie's token at `now`, or null (unknown, revoked, expired). */
export async function findSession(db: Db, token: string, now: Date): Promise<ActiveSession | null> {
  const [row] = await db
    .select({
      id: sessions.id,
      userId: sessions.userId,
      orgId: sessions.orgId,
      mfaVerified: sessions.mfaVerified,
      rotationRequired: sessions.rotationRequired,
      lastSeenAt: sessions.lastSeenAt,
      idleExpiresAt: sessions.idleExpiresAt,
      absoluteExpiresAt: sessions.absoluteExpiresAt,
      mfaEnabledAt: users.mfaEnabledAt,
      role: memberships.role,
      liveOrgId: organizations.id,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(
      memberships,
      and(eq(memberships.userId, sessions.userId), eq(memberships.orgId, sessions.orgId)),
    )
    .leftJoin(
      organizations,
      and(eq(organizations.id, memberships.orgId), isNull(organizations.deletedAt)),
    )
    .where(and(eq(sessions.tokenHash, hashSessionToken(token)), isNull(sessions.revokedAt)))
    .limit(1);
  if (!row) return null;
  if (row.idleExpiresAt <= now || row.absoluteExpiresAt <= now) return null;
  return {
    id: row.id,
    userId: row.userId,
    orgId: row.orgId,
    role: row.liveOrgId ? row.role : null,
    mfaVerified: row.mfaVerified,
    mfaEnabled: row.mfaEnabledAt !== null,
    rotationRequired: row.rotationRequired,
    lastSeenAt: row.lastSeenAt,
    idleExpiresAt: row.idleExpiresAt,
    absoluteExpiresAt: row.absoluteExpiresAt,
  };
}

/** Pushes the idle expiry forward after use, at most once a minute per session. */
export async function touchSession(
  db: Db,
  session: ActiveSession,
  now: Date,
  timeouts: SessionTimeouts,
): Promise<void> {
  if (now.getTime() - session.lastSeenAt.getTime() < TOUCH_RESOLUTION_MS) return;
  await db
    .update(sessions)
    .set({
      lastSeenAt: now,
      idleExpiresAt: earliest(new Date(now.getTime() + timeouts.idleMs), session.absoluteExpiresAt),
    })
    .where(eq(sessions.id, session.id));
}

/**
 * Replaces a session by a new one (new id, new token, new CSRF token) and revokes it: after
 * sign-in, MFA verification and any change of privileges, so a token seen before the change
 * (a fixated or leaked one) is worth nothing after it.
 */
export async function rotateSession(
  // A transaction too: the rotation then commits with the caller's change (a savepoint).
  db: Pick<Db, "transaction">,
  session: Pick<ActiveSession, "id" | "userId" | "orgId" | "mfaVerified" | "absoluteExpiresAt">,
  input: {
    now: Date;
    timeouts: SessionTimeouts;
    orgId?: string | null;
    mfaVerified?: boolean;
    ip?: string | null;
    userAgent?: string | null;
    /** A new life (MFA verified after a short challenge); by default the predecessor's. */
    absoluteExpiresAt?: Date;
  },
): Promise<NewSession> {
  return db.transaction(async (tx) => {
    const revoked = await tx
      .update(sessions)
      .set({ revokedAt: input.now })
      .where(and(eq(sessions.id, session.id), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id });
    // Two requests rotating the same session at once: the second one gets nothing.
    if (revoked.length === 0) throw new SessionGone();
    return createSession(tx, {
      userId: session.userId,
      orgId: input.orgId === undefined ? session.orgId : input.orgId,
      mfaVerified: input.mfaVerified ?? session.mfaVerified,
      ip: input.ip,
      userAgent: input.userAgent,
      now: input.now,
      timeouts: input.timeouts,
      absoluteExpiresAt: input.absoluteExpiresAt ?? session.absoluteExpiresAt,
    });
  });
}

export class SessionGone extends Error {
  override name = "SessionGone";
}

export async function revokeSession(db: Pick<Db, "update">, id: string, now: Date) {
  await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
}

/** Ends every session of a user (password reset), but `exceptId` when given. */
export async function revokeUserSessions(
  db: Pick<Db, "update">,
  userId: string,
  now: Date,
  exceptId?: string,
): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        exceptId ? sql`${sessions.id} <> ${exceptId}` : undefined,
      ),
    );
}

/** The user's privileges in `orgId` changed: each of their sessions there rotates on next use. */
export async function requireRotation(
  db: Pick<Db, "update">,
  userId: string,
  orgId: string,
): Promise<void> {
  await db
    .update(sessions)
    .set({ rotationRequired: true })
    .where(and(eq(sessions.userId, userId), eq(sessions.orgId, orgId), isNull(sessions.revokedAt)));
}

function earliest(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}
