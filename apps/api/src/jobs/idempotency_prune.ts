import type { Task } from "graphile-worker";
import type { Db } from "../db/client.ts";
import { pruneIdempotencyKeys } from "../lib/idempotency.ts";
import type { Logger } from "../lib/logger.ts";

/** Hourly (graphile crontab): drops idempotency keys past their 24 hours. */
export function createIdempotencyPruneTask(deps: { db: Db; logger: Logger }): Task {
  return async () => {
    const pruned = await pruneIdempotencyKeys(deps.db);
    if (pruned > 0) deps.logger.info({ pruned }, "pruned expired idempotency keys");
  };
}
