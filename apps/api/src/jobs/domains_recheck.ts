import { sql } from "drizzle-orm";
import type { Task } from "graphile-worker";
import type { Db } from "../db/client.ts";
import { domains } from "../db/schema/index.ts";
import type { Logger } from "../lib/logger.ts";
import { domainVerifyJobKey } from "../services/domains/verify-domain.ts";
import { jobSpec } from "./catalog.ts";
import { addJobs } from "./enqueue.ts";

/** Domains waiting for their records are looked at this often; verified ones less often. */
const PENDING_EVERY = "5 minutes";
const VERIFIED_EVERY = "6 hours";
/** Checks enqueued per run, so that a large fleet of domains is spread over several runs. */
const PER_RUN = 500;

/**
 * Every five minutes (graphile crontab): enqueues a check of each domain that is due: pending
 * ones (until their 72 hours are up and they fail), and verified ones, so that records removed
 * later are noticed. Failed domains wait for a verify request.
 */
export function createDomainsRecheckTask(deps: { db: Db; logger: Logger }): Task {
  return async () => {
    const due = await deps.db
      .select({ id: domains.id, orgId: domains.orgId })
      .from(domains)
      .where(sql`
        (${domains.status} in ('not_started', 'pending', 'temporary_failure')
          and coalesce(${domains.lastCheckedAt}, '-infinity') < now() - interval '${sql.raw(PENDING_EVERY)}')
        or (${domains.status} = 'verified'
          and coalesce(${domains.lastCheckedAt}, '-infinity') < now() - interval '${sql.raw(VERIFIED_EVERY)}')`)
      .orderBy(sql`${domains.lastCheckedAt} asc nulls first`)
      .limit(PER_RUN);
    if (due.length === 0) return;
    await addJobs(
      deps.db,
      due.map((domain) =>
        jobSpec(
          "domain_verify",
          { org_id: domain.orgId, domain_id: domain.id },
          { jobKey: domainVerifyJobKey(domain.id), maxAttempts: 3 },
        ),
      ),
    );
    deps.logger.info({ domains: due.length }, "domain checks enqueued");
  };
}
