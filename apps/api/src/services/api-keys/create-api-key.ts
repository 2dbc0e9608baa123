import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { type ApiKeyPermission, apiKeys, domains } from "../../db/schema/index.ts";
import { AppError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { assertMayGrant, type Grantor, type Permission } from "../../lib/permissions.ts";
import { type AuditOrigin, recordAudit } from "../audit/record-audit.ts";
import { apiKeyPermissions } from "./key-permissions.ts";
import { describeToken, issueToken } from "./tokens.ts";

export interface CreateApiKeyInput {
  name: string;
  /** Resend's kinds (full_access when neither this nor `permissions` is given). */
  permission?: ApiKeyPermission | undefined;
  /** A custom key's own permissions (the route's schema keeps them to KEY_PERMISSIONS). */
  permissions?: Permission[] | undefined;
  domain_id?: string | undefined;
  /** Past this time the key is refused. */
  expires_at?: Date | undefined;
  /** CIDRs the key may be used from (normalized by the route's schema). */
  allowed_ips?: string[] | undefined;
  token?: string;
}

type Executor = Pick<Db, "insert" | "select" | "transaction">;

/**
 * Creates an API key and answers its token, the only time it is ever shown: only its hash is
 * stored. `token` may be given (BOOTSTRAP_API_KEY); otherwise a random one is issued. A custom
 * key's permissions (custom, or those of Resend's kind) must be the `grantor`'s own (the
 * caller's; none for the system's keys).
 */
export async function createApiKey({
  ctx,
  input,
}: {
  ctx: { db: Executor; orgId: string; audit: AuditOrigin; grantor?: Grantor | undefined };
  input: CreateApiKeyInput;
}): Promise<{ id: string; token: string }> {
  const permission = input.permissions ? "custom" : (input.permission ?? "full_access");
  const permissions = input.permissions ?? null;
  // Resend's kinds too: a developer (no audit:read) must not mint a full_access key to read
  // the audit log with.
  if (ctx.grantor) {
    assertMayGrant(
      ctx.grantor,
      apiKeyPermissions(permission, permissions),
      permissions ? undefined : `create a ${permission} key`,
    );
  }
  if (input.domain_id) {
    const [domain] = await ctx.db
      .select({ id: domains.id })
      .from(domains)
      .where(and(eq(domains.id, input.domain_id), eq(domains.orgId, ctx.orgId)));
    if (!domain) {
      throw new AppError("validation_error", "`domain_id`: no such domain in this organization", [
        { path: "domain_id", message: "no such domain in this organization" },
      ]);
    }
  }
  const issued = input.token ? describeToken(input.token) : issueToken();
  const id = newId();
  await ctx.db.transaction(async (tx) => {
    await tx.insert(apiKeys).values({
      id,
      orgId: ctx.orgId,
      name: input.name,
      tokenHash: issued.hash,
      tokenPrefix: issued.displayPrefix,
      permission,
      permissions,
      domainId: input.domain_id ?? null,
      expiresAt: input.expires_at ?? null,
      allowedIps: input.allowed_ips?.length ? input.allowed_ips : null,
    });
    await recordAudit(tx, ctx.audit, {
      orgId: ctx.orgId,
      action: "api_key.created",
      target: { type: "api_key", id },
      details: {
        name: input.name,
        permission,
        permissions,
        domain_id: input.domain_id ?? null,
        expires_at: input.expires_at?.toISOString() ?? null,
        allowed_ips: input.allowed_ips?.length ? input.allowed_ips : null,
        token_prefix: issued.displayPrefix,
      },
    });
  });
  return { id, token: issued.token };
}
