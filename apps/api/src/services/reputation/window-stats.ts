import { and, gte, inArray, sql } from "drizzle-orm";
import type { ReputationSettings } from "../../config.ts";
import type { Db } from "../../db/client.ts";
import { events, sendingStats } from "../../db/schema/index.ts";
import type { ScopeRef } from "./count-events.ts";
import { uuidv7Floor } from "./horizon.ts";
import {
  type Counts,
  type DayCounts,
  judgedCounts,
  periodLabel,
  type ResumeMark,
  windowStartDay,
} from "./rates.ts";

/** A scope with the organization that owns it (the organization's own id for itself). */
export interface OwnedScope extends ScopeRef {
  orgId: string;
}

export interface JudgedScope {
  counts: Counts;
  /** Where the counting starts: the window's first day, or the resume within it. */
  since: Date;
  resumed: boolean;
  /** How a pause reason names the period, e.g. "in the last 7 days". */
  period: string;
}

/** The key under which a resume event's data keeps its ResumeMark. */
export const RESUME_MARK_KEY = "reputation_reset";

export const scopeKey = (ref: ScopeRef) => `${ref.scope}:${ref.scopeId}`;

/** The counts the thresholds judge for each scope (see judgedCounts), from two queries. */
export async function judgeScopes(
  db: Db,
  scopes: OwnedScope[],
  settings: Pick<ReputationSettings, "windowDays">,
  now: Date,
): Promise<Map<string, JudgedScope>> {
  const judged = new Map<string, JudgedScope>();
  if (scopes.length === 0) return judged;
  const windowStart = windowStartDay(now, settings.windowDays);
  const [days, marks] = await Promise.all([
    dayCounts(db, scopes, windowStart),
    resumeMarks(db, scopes, new Date(`${windowStart}T00:00:00.000Z`)),
  ]);
  for (const scope of scopes) {
    const key = scopeKey(scope);
    const { counts, since } = judgedCounts(days.get(key) ?? [], windowStart, marks.get(key));
    const resumed = since.getTime() !== new Date(`${windowStart}T00:00:00.000Z`).getTime();
    judged.set(key, {
      counts,
      since,
      resumed,
      period: periodLabel(since, settings.windowDays, resumed),
    });
  }
  return judged;
}

async function dayCounts(
  db: Db,
  scopes: ScopeRef[],
  fromDay: string,
): Promise<Map<string, DayCounts[]>> {
  const rows = await db
    .select()
    .from(sendingStats)
    .where(
      and(
        // Both key columns, so the primary key (scope, scope_id, day) serves the lookup.
        inArray(sendingStats.scope, [...new Set(scopes.map((scope) => scope.scope))]),
        inArray(
          sendingStats.scopeId,
          scopes.map((scope) => scope.scopeId),
        ),
        gte(sendingStats.day, fromDay),
      ),
    );
  const byScope = new Map<string, DayCounts[]>();
  for (const row of rows) {
    const key = scopeKey(row);
    byScope.set(key, [...(byScope.get(key) ?? []), row]);
  }
  return byScope;
}

/**
 * The latest resume of each scope since `from`, from the events that recorded it. Read through
 * the events' (org_id, id) index: an organization has few events in a window.
 */
async function resumeMarks(
  db: Db,
  scopes: OwnedScope[],
  from: Date,
): Promise<Map<string, ResumeMark>> {
  const rows = await db
    .selectDistinctOn([events.objectId], {
      objectId: events.objectId,
      mark: sql<Omit<ResumeMark, "at"> & { at: string }>`${events.data}->${RESUME_MARK_KEY}`,
    })
    .from(events)
    .where(
      and(
        inArray(events.orgId, [...new Set(scopes.map((scope) => scope.orgId))]),
        gte(events.id, uuidv7Floor(from.getTime())),
        inArray(
          events.objectId,
          scopes.map((scope) => scope.scopeId),
        ),
        sql`${events.data} ? ${RESUME_MARK_KEY}`,
      ),
    )
    .orderBy(events.objectId, sql`${events.id} desc`);
  const byId = new Map(scopes.map((scope) => [scope.scopeId, scope]));
  const marks = new Map<string, ResumeMark>();
  for (const row of rows) {
    const scope = byId.get(row.objectId);
    if (scope) marks.set(scopeKey(scope), { ...row.mark, at: new Date(row.mark.at) });
  }
  return marks;
}
