import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { organizations } from "../../db/schema/index.ts";
import { notFound } from "../../lib/errors.ts";
import { changedFields } from "../audit/changed-fields.ts";
import { type AuditOrigin, recordAudit } from "../audit/record-audit.ts";

type OrganizationRow = typeof organizations.$inferSelect;

export function organizationView(row: OrganizationRow) {
  return {
    object: "organization" as const,
    id: row.id,
    name: row.name,
    default_from: row.defaultFrom,
    default_open_tracking: row.openTrackingDefault,
    default_click_tracking: row.clickTrackingDefault,
    data_retention_days: row.dataRetentionDays,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export interface OrganizationSettingsInput {
  name?: string | undefined;
  default_from?: string | null | undefined;
  default_open_tracking?: boolean | undefined;
  default_click_tracking?: boolean | undefined;
  data_retention_days?: number | null | undefined;
}

export async function getOrganization({ ctx }: { ctx: { db: Db; orgId: string } }) {
  const [row] = await ctx.db
    .select()
    .from(organizations)
    .where(and(eq(organizations.id, ctx.orgId), isNull(organizations.deletedAt)));
  if (!row) throw notFound("Organization");
  return organizationView(row);
}

/**
 * Changes the organization's settings, audited with what changed (`organization.updated`,
 * each changed field's value before and after); a request that changes nothing records
 * nothing.
 */
export async function updateOrganization({
  ctx,
  input,
}: {
  ctx: { db: Db; orgId: string; audit: AuditOrigin };
  input: OrganizationSettingsInput;
}) {
  return ctx.db.transaction(async (tx) => {
    const live = and(eq(organizations.id, ctx.orgId), isNull(organizations.deletedAt));
    const [before] = await tx.select().from(organizations).where(live).for("update");
    if (!before) throw notFound("Organization");
    const [row] = await tx
      .update(organizations)
      .set({
        name: input.name,
        defaultFrom: input.default_from,
        openTrackingDefault: input.default_open_tracking,
        clickTrackingDefault: input.default_click_tracking,
        dataRetentionDays: input.data_retention_days,
        updatedAt: sql`now()`,
      })
      .where(live)
      .returning();
    if (!row) throw notFound("Organization");
    const changes = changedFields(organizationView(before), organizationView(row), [
      "name",
      "default_from",
      "default_open_tracking",
      "default_click_tracking",
      "data_retention_days",
    ]);
    if (changes) {
      await recordAudit(tx, ctx.audit, {
        orgId: ctx.orgId,
        action: "organization.updated",
        target: { type: "organization", id: ctx.orgId },
        details: { changes },
      });
    }
    return organizationView(row);
  });
}

/** The tracking a new domain gets when its request does not say (POST /domains). */
export async function trackingDefaults(db: Pick<Db, "select">, orgId: string) {
  const [row] = await db
    .select({ open: organizations.openTrackingDefault, click: organizations.clickTrackingDefault })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  return row ?? { open: false, click: false };
}
