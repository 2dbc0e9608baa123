import type { ReputationSettings } from "../../config.ts";
import type { Db } from "../../db/client.ts";
import type { RecordConfig } from "../domains/records.ts";
import { countEventChunk, type ScopeRef } from "./count-events.ts";
import { enforceThresholds } from "./enforce-thresholds.ts";
import { readHorizon } from "./horizon.ts";
import type { PauseRequest } from "./pause-sending.ts";
import { scopeKey } from "./window-stats.ts";

export interface UpdateReputationDeps {
  db: Db;
  config: RecordConfig;
  settings: ReputationSettings;
  /** Events per transaction: bounds its locks and memory, whatever the backlog. */
  chunkSize?: number;
  /** Chunks stop after this long, so that a large backlog spreads over several runs. */
  budgetMs?: number;
}

/**
 * One run of the stats job: counts the events that became safe to read since the last run
 * (services/reputation/horizon.ts), chunk by chunk, then pauses the senders past a threshold.
 */
export async function updateReputation(
  deps: UpdateReputationDeps,
): Promise<{ events: number; paused: PauseRequest[] }> {
  const chunkSize = deps.chunkSize ?? 5000;
  const deadline = Date.now() + (deps.budgetMs ?? 40_000);
  const horizon = await readHorizon(deps.db, deps.settings.statsMarginMs);
  const touched = new Map<string, ScopeRef>();
  let events = 0;
  for (;;) {
    const chunk = await countEventChunk(deps.db, { horizon, chunkSize });
    events += chunk.events;
    for (const ref of chunk.touched) touched.set(scopeKey(ref), ref);
    if (chunk.events < chunkSize || Date.now() > deadline) break;
  }
  const paused = await enforceThresholds(deps, [...touched.values()], new Date());
  return { events, paused };
}
