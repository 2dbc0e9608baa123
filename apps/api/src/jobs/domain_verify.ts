import type { Task } from "graphile-worker";
import type { Db } from "../db/client.ts";
import type { Logger } from "../lib/logger.ts";
import { checkDomain } from "../services/domains/check-domain.ts";
import type { DomainDns } from "../services/domains/matchers.ts";
import type { RecordConfig } from "../services/domains/records.ts";
import { parseJobPayload } from "./catalog.ts";

/** Checks one domain's DNS records (asked for by POST /domains/{id}/verify, or the cron). */
export function createDomainVerifyTask(deps: {
  db: Db;
  dns: DomainDns;
  config: RecordConfig;
  logger: Logger;
}): Task {
  return async (rawPayload) => {
    const payload = parseJobPayload("domain_verify", rawPayload);
    const domain = await checkDomain({
      db: deps.db,
      dns: deps.dns,
      config: deps.config,
      orgId: payload.org_id,
      domainId: payload.domain_id,
    });
    if (domain) {
      deps.logger.info(
        { domainId: domain.id, status: domain.status, records: domain.recordStatus },
        "domain checked",
      );
    }
  };
}
