import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { organizations } from "../../db/schema/index.ts";
import { notFound } from "../../lib/errors.ts";

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

export async function updateOrganization({
  ctx,
  input,
}: {
  ctx: { db: Db; orgId: string };
  input: OrganizationSettingsInput;
}) {
  const [row] = await ctx.db
    .update(organizations)
    .set({
      name: input.name,
      defaultFrom: input.default_from,
      openTrackingDefault: input.default_open_tracking,
      clickTrackingDefault: input.default_click_tracking,
      dataRetentionDays: input.data_retention_days,
      updatedAt: sql`now()`,
    })
    .where(and(eq(organizations.id, ctx.orgId), isNull(organizations.deletedAt)))
    .returning();
  if (!row) throw notFound("Organization");
  return organizationView(row);
}

/** The tracking a new domain gets when its request does not say (POST /domains). */
export async function trackingDefaults(db: Pick<Db, "select">, orgId: string) {
  const [row] = await db
    .select({ open: organizations.openTrackingDefault, click: organizations.clickTrackingDefault })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  return row ?? { open: false, click: false };
}
