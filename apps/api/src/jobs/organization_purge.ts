import type { Task } from "graphile-worker";
import type { Db } from "../db/client.ts";
import type { Logger } from "../lib/logger.ts";
import { purgeOrganization } from "../services/organizations/purge-organization.ts";
import { parseJobPayload } from "./catalog.ts";

/** Deletes a deleted organization's data (DELETE /organization enqueues it). */
export function createOrganizationPurgeTask(deps: { db: Db; logger: Logger }): Task {
  return async (rawPayload) => {
    const payload = parseJobPayload("organization_purge", rawPayload);
    const { deleted } = await purgeOrganization(deps.db, payload.org_id);
    deps.logger.info({ orgId: payload.org_id, deleted }, "organization purged");
  };
}
