import type { Task } from "graphile-worker";
import type { Db } from "../db/client.ts";
import type { Logger } from "../lib/logger.ts";
import { applyRetention, pruneIdentity } from "../services/organizations/apply-retention.ts";

/** Hourly (graphile crontab): organizations' data retention, and dead sessions and links. */
export function createRetentionPruneTask(deps: { db: Db; logger: Logger }): Task {
  return async () => {
    const now = new Date();
    const deleted = await applyRetention(deps.db, now);
    await pruneIdentity(deps.db, now);
    if (Object.values(deleted).some((n) => n > 0)) {
      deps.logger.info({ deleted }, "deleted data past its organization's retention");
    }
  };
}
