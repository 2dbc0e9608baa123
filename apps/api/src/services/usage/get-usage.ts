import { and, eq, gte, lte, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { usageDaily } from "../../db/schema/index.ts";
import type { QuotaGate } from "./quota-gate.ts";
import { utcDayOf } from "./utc-periods.ts";

const DAY_MS = 86_400_000;

/** Every day of [from, to] (inclusive, `YYYY-MM-DD`). */
function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (
    let at = Date.parse(`${from}T00:00:00Z`);
    at <= Date.parse(`${to}T00:00:00Z`);
    at += DAY_MS
  ) {
    days.push(utcDayOf(new Date(at)));
  }
  return days;
}

/**
 * The organization's usage per UTC day of [from, to], every day listed (zeros included),
 * with its plan's quotas and what today and this month used of them. Counts reach the
 * database every few seconds from each API process (services/usage/usage-meter.ts).
 */
export async function getUsage({
  ctx,
  from,
  to,
}: {
  ctx: { db: Db; orgId: string; quota: QuotaGate };
  from: string;
  to: string;
}) {
  const today = utcDayOf(new Date());
  const monthStart = `${today.slice(0, 7)}-01`;
  const [rows, [current], { plan, quota }] = await Promise.all([
    ctx.db
      .select()
      .from(usageDaily)
      .where(
        and(eq(usageDaily.orgId, ctx.orgId), gte(usageDaily.day, from), lte(usageDaily.day, to)),
      ),
    ctx.db
      .select({
        today: sql<string>`coalesce(sum(${usageDaily.emails}) filter (where ${usageDaily.day} = ${today}), 0)`,
        month: sql<string>`coalesce(sum(${usageDaily.emails}), 0)`,
      })
      .from(usageDaily)
      .where(and(eq(usageDaily.orgId, ctx.orgId), gte(usageDaily.day, monthStart))),
    ctx.quota.quotaOf(ctx.orgId),
  ]);
  const byDay = new Map(rows.map((row) => [row.day, row]));
  const data = daysBetween(from, to).map((day) => {
    const row = byDay.get(day);
    return {
      day,
      emails: row?.emails ?? 0,
      api_calls: row?.apiCalls ?? 0,
      contacts: row?.contacts ?? 0,
    };
  });
  const total = (key: "emails" | "api_calls") => data.reduce((sum, day) => sum + day[key], 0);
  return {
    object: "usage" as const,
    from,
    to,
    plan,
    quotas: {
      daily: { limit: quota.daily, used: Number(current?.today ?? 0) },
      monthly: { limit: quota.monthly, used: Number(current?.month ?? 0) },
    },
    totals: { emails: total("emails"), api_calls: total("api_calls"), contacts: 0 },
    data,
  };
}
