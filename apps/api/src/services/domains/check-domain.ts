import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import {
  type DomainRecordKey,
  type DomainStatus,
  domains,
  type RecordStatus,
} from "../../db/schema/index.ts";
import { DnsTemporaryError } from "../../lib/dns-resolver.ts";
import { recordAudit, SYSTEM_ORIGIN } from "../audit/record-audit.ts";
import { recordEvent } from "../events/record-event.ts";
import { domainSummary } from "./domain-view.ts";
import {
  cnameMatches,
  type DomainDns,
  dkimMatches,
  dmarcMatches,
  mxMatches,
  spfMatches,
} from "./matchers.ts";
import { domainRecords, REQUIRED_RECORDS, type RecordConfig, returnPathDomain } from "./records.ts";

type DomainRow = typeof domains.$inferSelect;

/** How long records may stay missing before a domain is `failed` (Resend's 72 hours). */
export const VERIFICATION_DEADLINE_MS = 72 * 60 * 60 * 1000;

/**
 * Looks the domain's records up and records what was found: each record's status, the domain's
 * status (see DOMAIN_STATUSES), and a domain.updated event when anything changed. A lookup
 * that could not tell (SERVFAIL, timeout) never turns a verified domain into a failed one by
 * itself: the record is `temporary_failure` and the deadline decides.
 */
export async function checkDomain(input: {
  db: Db;
  dns: DomainDns;
  config: RecordConfig;
  orgId: string;
  domainId: string;
  now?: Date;
}): Promise<DomainRow | undefined> {
  const now = input.now ?? new Date();
  const [domain] = await input.db
    .select()
    .from(domains)
    .where(and(eq(domains.id, input.domainId), eq(domains.orgId, input.orgId)));
  if (!domain) return undefined;

  const recordStatus = await lookUpRecords(domain, input.dns, input.config);
  const allFound = REQUIRED_RECORDS.every((key) => recordStatus[key] === "verified");
  const wasVerified = domain.status === "verified" || domain.status === "temporary_failure";
  const unverifiedSince = allFound ? null : (domain.unverifiedSince ?? now);
  const pastDeadline =
    unverifiedSince !== null &&
    now.getTime() - unverifiedSince.getTime() > VERIFICATION_DEADLINE_MS;
  const status: DomainStatus = allFound
    ? "verified"
    : pastDeadline
      ? "failed"
      : wasVerified
        ? "temporary_failure"
        : "pending";
  // A failed record stays failed once the domain is: the owner sees what to fix.
  if (status === "failed") {
    for (const key of REQUIRED_RECORDS) {
      if (recordStatus[key] !== "verified") recordStatus[key] = "failed";
    }
  }

  return input.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(domains)
      .set({
        status,
        recordStatus,
        unverifiedSince,
        verifiedAt: allFound ? (domain.verifiedAt ?? now) : domain.verifiedAt,
        // Its warm-up schedule (services/domains/warmup-gate.ts) counts from here.
        warmupStartedAt: allFound ? (domain.warmupStartedAt ?? now) : domain.warmupStartedAt,
        lastCheckedAt: now,
        updatedAt: now,
      })
      .where(and(eq(domains.id, domain.id), eq(domains.orgId, domain.orgId)))
      .returning();
    if (!updated) return undefined;
    const changed =
      updated.status !== domain.status ||
      JSON.stringify(updated.recordStatus) !== JSON.stringify(domain.recordStatus);
    if (updated.status !== domain.status) {
      await recordAudit(tx, SYSTEM_ORIGIN, {
        orgId: domain.orgId,
        action: verificationAction(updated.status),
        target: { type: "domain", id: domain.id },
        details: {
          name: domain.name,
          from: domain.status,
          to: updated.status,
          records: recordStatus,
        },
      });
    }
    if (changed) {
      await recordEvent(tx, {
        orgId: domain.orgId,
        type: "domain.updated",
        objectId: domain.id,
        data: domainSummary(updated, domainRecords(updated, input.config)),
      });
    }
    return updated;
  });
}

/** The verification outcome as the audit log names it. */
function verificationAction(status: DomainStatus): string {
  if (status === "verified") return "domain.verified";
  if (status === "failed") return "domain.verification_failed";
  return "domain.status_changed";
}

async function lookUpRecords(
  domain: DomainRow,
  dns: DomainDns,
  config: RecordConfig,
): Promise<Partial<Record<DomainRecordKey, RecordStatus>>> {
  const returnPath = returnPathDomain(domain);
  const checks: [DomainRecordKey, () => Promise<boolean>][] = [
    [
      "dkim",
      async () =>
        dkimMatches(
          await dns.txt(`${domain.dkimSelector}._domainkey.${domain.name}`),
          domain.dkimPublicKey,
        ),
    ],
    ["spf_mx", async () => mxMatches(await dns.mx(returnPath), config.bounceMxHost)],
    ["spf_txt", async () => spfMatches(await dns.txt(returnPath), config.spfMechanisms)],
    ["dmarc", async () => dmarcMatches(await dns.txt(`_dmarc.${domain.name}`))],
  ];
  if (domain.openTracking || domain.clickTracking) {
    checks.push([
      "tracking",
      async () =>
        cnameMatches(
          await dns.cname(`${domain.trackingSubdomain}.${domain.name}`),
          config.trackingHost,
        ),
    ]);
  }
  const results = await Promise.all(
    checks.map(async ([key, check]): Promise<[DomainRecordKey, RecordStatus]> => {
      try {
        return [key, (await check()) ? "verified" : "pending"];
      } catch (error) {
        if (error instanceof DnsTemporaryError) return [key, "temporary_failure"];
        throw error;
      }
    }),
  );
  return Object.fromEntries(results);
}
