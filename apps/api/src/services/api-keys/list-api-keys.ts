import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { apiKeys } from "../../db/schema/index.ts";
import { type PageRequest, pageQuery, toPage } from "../../lib/pagination.ts";
import { sortedPermissions } from "../../lib/permissions.ts";
import { apiKeyPermissions } from "./key-permissions.ts";

type ApiKeyRow = typeof apiKeys.$inferSelect;

export function apiKeyView(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    permission: row.permission,
    permissions: sortedPermissions(apiKeyPermissions(row.permission, row.permissions)),
    domain_id: row.domainId,
    token_prefix: row.tokenPrefix,
    created_at: row.createdAt.toISOString(),
    last_used_at: row.lastUsedAt ? row.lastUsedAt.toISOString() : null,
    expires_at: row.expiresAt ? row.expiresAt.toISOString() : null,
    allowed_ips: row.allowedIps,
  };
}

/** The organization's keys that are not revoked, newest first. */
export async function listApiKeys({
  ctx,
  page,
}: {
  ctx: { db: Db; orgId: string };
  page: PageRequest;
}) {
  const query = pageQuery(
    apiKeys.id,
    page,
    and(eq(apiKeys.orgId, ctx.orgId), isNull(apiKeys.revokedAt)),
  );
  const rows = await ctx.db
    .select()
    .from(apiKeys)
    .where(query.where)
    .orderBy(query.orderBy)
    .limit(query.limit);
  return toPage(rows, page, apiKeyView);
}
