import type { Task } from "graphile-worker";
import type { Logger } from "../lib/logger.ts";
import {
  type UpdateReputationDeps,
  updateReputation,
} from "../services/reputation/update-reputation.ts";

/**
 * Every minute (graphile crontab): adds new delivery events to the sending counters and pauses
 * the domains and organizations whose bounce or complaint rate is past its threshold. Runs that
 * overlap take turns on the cursor's row lock.
 */
export function createReputationStatsTask(deps: UpdateReputationDeps & { logger: Logger }): Task {
  return async () => {
    const { events, paused } = await updateReputation(deps);
    for (const pause of paused) {
      deps.logger.warn(
        { scope: pause.scope.scope, id: pause.scope.scopeId, orgId: pause.scope.orgId },
        `sending paused: ${pause.reason}`,
      );
    }
    if (events > 0) deps.logger.debug({ events }, "sending counters updated");
  };
}
