import { and, asc, eq } from "drizzle-orm";
import type { ReputationSettings } from "../../config.ts";
import type { Db } from "../../db/client.ts";
import { domains, organizations } from "../../db/schema/index.ts";
import { notFound } from "../../lib/errors.ts";
import { rates } from "./rates.ts";
import { type JudgedScope, judgeScopes, type OwnedScope, scopeKey } from "./window-stats.ts";

interface Pausable {
  sendingPausedAt: Date | null;
  sendingPausedReason: string | null;
}

function scopeView(judged: JudgedScope | undefined, row: Pausable) {
  const counts = judged?.counts ?? { sent: 0, bounced: 0, complained: 0 };
  const { bounceRate, complaintRate } = rates(counts);
  return {
    ...counts,
    bounce_rate: bounceRate,
    complaint_rate: complaintRate,
    counted_since: judged?.since.toISOString() ?? null,
    paused: row.sendingPausedAt !== null,
    paused_at: row.sendingPausedAt?.toISOString() ?? null,
    paused_reason: row.sendingPausedAt ? row.sendingPausedReason : null,
  };
}

/**
 * The organization's and its domains' sending rates as the stats job judges them (since the
 * window's start, or since a resume within it), with the thresholds and the pauses.
 */
export async function getReputation({
  ctx,
  settings,
  domainId,
}: {
  ctx: { db: Db; orgId: string };
  settings: ReputationSettings;
  /** Only this domain in `domains`. */
  domainId?: string | undefined;
}) {
  const [org] = await ctx.db.select().from(organizations).where(eq(organizations.id, ctx.orgId));
  if (!org) throw notFound("Organization");
  const domainRows = await ctx.db
    .select({
      id: domains.id,
      name: domains.name,
      sendingPausedAt: domains.sendingPausedAt,
      sendingPausedReason: domains.sendingPausedReason,
    })
    .from(domains)
    .where(and(eq(domains.orgId, ctx.orgId), domainId ? eq(domains.id, domainId) : undefined))
    .orderBy(asc(domains.name));
  if (domainId && domainRows.length === 0) throw notFound("Domain");

  const scopes: OwnedScope[] = [
    { scope: "organization", scopeId: org.id, orgId: org.id },
    ...domainRows.map((row) => ({ scope: "domain" as const, scopeId: row.id, orgId: org.id })),
  ];
  const judged = await judgeScopes(ctx.db, scopes, settings, new Date());
  return {
    object: "reputation" as const,
    window_days: settings.windowDays,
    min_sent: settings.minSent,
    thresholds: {
      bounce_rate: settings.bounceRateThreshold,
      complaint_rate: settings.complaintRateThreshold,
    },
    organization: {
      id: org.id,
      ...scopeView(judged.get(scopeKey({ scope: "organization", scopeId: org.id })), org),
    },
    domains: domainRows.map((row) => ({
      id: row.id,
      name: row.name,
      ...scopeView(judged.get(scopeKey({ scope: "domain", scopeId: row.id })), row),
    })),
  };
}

export type ReputationView = Awaited<ReturnType<typeof getReputation>>;
