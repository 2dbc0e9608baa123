import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { apiKeys } from "../../db/schema/index.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { assertMayGrant, type Grantor } from "../../lib/permissions.ts";
import { type AuditOrigin, recordAudit } from "../audit/record-audit.ts";
import { apiKeyPermissions } from "./key-permissions.ts";
import { issueToken } from "./tokens.ts";

/** How long the replaced key keeps working when the caller does not say. */
export const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 60 * 60;
export const MAX_ROTATION_GRACE_SECONDS = 30 * 24 * 60 * 60;

export interface RotatedApiKey {
  object: "api_key";
  id: string;
  token: string;
  /** The key it replaces, and when that one stops working. */
  previous: { id: string; expires_at: string };
}

/**
 * Replaces a key: a new one with the same name, permissions, domain and allowed IPs (its
 * token shown this once), while the old one keeps working for `graceSeconds` (0: it stops
 * now), so that deployments can switch without a refused request. A key is rotated once:
 * rotate its successor next time. Expired and revoked keys cannot be.
 */
export async function rotateApiKey({
  ctx,
  id,
  graceSeconds = DEFAULT_ROTATION_GRACE_SECONDS,
  expiresAt,
}: {
  ctx: { db: Db; orgId: string; audit: AuditOrigin; grantor?: Grantor | undefined };
  id: string;
  graceSeconds?: number | undefined;
  /** When the new key expires; never when not given. */
  expiresAt?: Date | undefined;
}): Promise<RotatedApiKey> {
  const issued = issueToken();
  const newKeyId = newId();
  return ctx.db.transaction(async (tx) => {
    const [old] = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.id, id), eq(apiKeys.orgId, ctx.orgId), isNull(apiKeys.revokedAt)))
      .for("update");
    if (!old) throw notFound("API key");
    // The new token is a key with the old one's rights: only someone holding them gets it.
    if (ctx.grantor) {
      assertMayGrant(
        ctx.grantor,
        apiKeyPermissions(old.permission, old.permissions),
        "rotate this key",
      );
    }
    const now = new Date();
    if (old.expiresAt && old.expiresAt <= now) {
      throw new AppError("invalid_state", "This API key has expired: create a new key instead");
    }
    if (old.replacedBy) {
      throw new AppError(
        "invalid_state",
        `This API key was already rotated: rotate its successor ${old.replacedBy} instead`,
      );
    }
    const graceEnd = new Date(now.getTime() + graceSeconds * 1000);
    // A rotation never lengthens the old key's life.
    const oldExpiresAt = old.expiresAt && old.expiresAt < graceEnd ? old.expiresAt : graceEnd;
    await tx.insert(apiKeys).values({
      id: newKeyId,
      orgId: ctx.orgId,
      name: old.name,
      tokenHash: issued.hash,
      tokenPrefix: issued.displayPrefix,
      permission: old.permission,
      permissions: old.permissions,
      domainId: old.domainId,
      expiresAt: expiresAt ?? null,
      allowedIps: old.allowedIps,
    });
    await tx
      .update(apiKeys)
      .set({ expiresAt: oldExpiresAt, replacedBy: newKeyId })
      .where(eq(apiKeys.id, old.id));
    await recordAudit(tx, ctx.audit, {
      orgId: ctx.orgId,
      action: "api_key.rotated",
      target: { type: "api_key", id: old.id },
      details: {
        new_key_id: newKeyId,
        new_token_prefix: issued.displayPrefix,
        previous_expires_at: oldExpiresAt.toISOString(),
        grace_period_seconds: graceSeconds,
      },
    });
    return {
      object: "api_key" as const,
      id: newKeyId,
      token: issued.token,
      previous: { id: old.id, expires_at: oldExpiresAt.toISOString() },
    };
  });
}
