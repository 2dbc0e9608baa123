import { and, inArray, isNull } from "drizzle-orm";
import type { ReputationSettings } from "../../config.ts";
import type { Db } from "../../db/client.ts";
import { domains, organizations } from "../../db/schema/index.ts";
import type { RecordConfig } from "../domains/records.ts";
import type { ScopeRef } from "./count-events.ts";
import { type PauseRequest, pauseSending } from "./pause-sending.ts";
import { breach } from "./rates.ts";
import { judgeScopes, type OwnedScope, scopeKey } from "./window-stats.ts";

/**
 * Judges the scopes whose counters just changed (a rate only moves with new events) and
 * pauses those past a threshold. Returns the pauses made.
 */
export async function enforceThresholds(
  deps: { db: Db; config: RecordConfig; settings: ReputationSettings },
  touched: ScopeRef[],
  now: Date,
): Promise<PauseRequest[]> {
  const active = await sendingScopes(deps.db, touched);
  const judged = await judgeScopes(deps.db, active, deps.settings, now);
  const paused: PauseRequest[] = [];
  for (const scope of active) {
    const judgement = judged.get(scopeKey(scope));
    if (!judgement) continue;
    const reason = breach(judgement.counts, deps.settings, judgement.period);
    if (!reason) continue;
    const request = { scope, reason, counts: judgement.counts, since: judgement.since, now };
    if (await pauseSending(deps.db, deps.config, request)) paused.push(request);
  }
  return paused;
}

/** The touched scopes that still exist and are not paused, with their organization. */
async function sendingScopes(db: Db, touched: ScopeRef[]): Promise<OwnedScope[]> {
  const domainIds = touched.filter((ref) => ref.scope === "domain").map((ref) => ref.scopeId);
  const orgIds = touched.filter((ref) => ref.scope === "organization").map((ref) => ref.scopeId);
  const [domainRows, orgRows] = await Promise.all([
    domainIds.length > 0
      ? db
          .select({ id: domains.id, orgId: domains.orgId })
          .from(domains)
          .where(and(inArray(domains.id, domainIds), isNull(domains.sendingPausedAt)))
      : [],
    orgIds.length > 0
      ? db
          .select({ id: organizations.id })
          .from(organizations)
          .where(and(inArray(organizations.id, orgIds), isNull(organizations.sendingPausedAt)))
      : [],
  ]);
  return [
    ...orgRows.map((row) => ({ scope: "organization" as const, scopeId: row.id, orgId: row.id })),
    ...domainRows.map((row) => ({ scope: "domain" as const, scopeId: row.id, orgId: row.orgId })),
  ];
}
