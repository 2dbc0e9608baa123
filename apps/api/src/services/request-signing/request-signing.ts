import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { requestSigningSecrets } from "../../db/schema/index.ts";
import type { SecretBox } from "../../lib/secrets.ts";
import { type AuditOrigin, recordAudit } from "../audit/record-audit.ts";

/** After a rotation, the previous secret is still accepted for this long. */
export const PREVIOUS_SIGNING_SECRET_TTL_MS = 24 * 60 * 60_000;

interface SigningContext {
  db: Db;
  orgId: string;
  secrets: SecretBox;
  audit: AuditOrigin;
}

export function requestSigningView(row: typeof requestSigningSecrets.$inferSelect | undefined) {
  return {
    object: "request_signing" as const,
    enabled: row !== undefined,
    created_at: row ? row.createdAt.toISOString() : null,
    rotated_at: row ? row.updatedAt.toISOString() : null,
    previous_secret_expires_at:
      row?.previousExpiresAt && row.previousExpiresAt > new Date()
        ? row.previousExpiresAt.toISOString()
        : null,
  };
}

export async function getRequestSigning({ ctx }: { ctx: Pick<SigningContext, "db" | "orgId"> }) {
  const [row] = await ctx.db
    .select()
    .from(requestSigningSecrets)
    .where(eq(requestSigningSecrets.orgId, ctx.orgId));
  return requestSigningView(row);
}

/**
 * Requires signed requests from now on (lib/request-signature.ts) with a new secret, answered
 * this once. When signing was already on, the secret it replaces stays valid for 24 hours.
 */
export async function rotateRequestSigningSecret({ ctx }: { ctx: SigningContext }) {
  const secret = `rss_${randomBytes(32).toString("base64url")}`;
  const sealed = ctx.secrets.seal(secret);
  const now = new Date();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(requestSigningSecrets)
      .values({ orgId: ctx.orgId, secret: sealed, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: requestSigningSecrets.orgId,
        set: {
          // The column's value before the update: the swap is one statement.
          previousSecret: sql`${requestSigningSecrets.secret}`,
          previousExpiresAt: new Date(now.getTime() + PREVIOUS_SIGNING_SECRET_TTL_MS),
          secret: sealed,
          updatedAt: now,
        },
      })
      .returning();
    const rotated = row?.previousSecret !== null && row?.previousSecret !== undefined;
    await recordAudit(tx, ctx.audit, {
      orgId: ctx.orgId,
      action: rotated ? "request_signing.secret_rotated" : "request_signing.enabled",
      target: { type: "organization", id: ctx.orgId },
    });
    return { ...requestSigningView(row), secret };
  });
}

/** Stops requiring signed requests. */
export async function disableRequestSigning({ ctx }: { ctx: SigningContext }) {
  return ctx.db.transaction(async (tx) => {
    const removed = await tx
      .delete(requestSigningSecrets)
      .where(eq(requestSigningSecrets.orgId, ctx.orgId))
      .returning({ orgId: requestSigningSecrets.orgId });
    if (removed.length > 0) {
      await recordAudit(tx, ctx.audit, {
        orgId: ctx.orgId,
        action: "request_signing.disabled",
        target: { type: "organization", id: ctx.orgId },
      });
    }
    return requestSigningView(undefined);
  });
}
