import type { domains } from "../../db/schema/index.ts";
import type { DomainRecord } from "./records.ts";

type DomainRow = typeof domains.$inferSelect;

/** Domains send; receiving mail (Resend's inbound) is not offered. */
const CAPABILITIES = { sending: "enabled", receiving: "disabled" } as const;

export function recordView(record: DomainRecord) {
  return {
    record: record.record,
    name: record.name,
    type: record.type,
    ttl: record.ttl,
    status: record.status,
    value: record.value,
    ...(record.priority === undefined ? {} : { priority: record.priority }),
  };
}

/** A domain as GET /domains/{id} shows it (Resend's fields, plus its settings). */
export function domainSummary(row: DomainRow, records: DomainRecord[]) {
  return {
    object: "domain" as const,
    id: row.id,
    name: row.name,
    status: row.status,
    created_at: row.createdAt.toISOString(),
    region: row.region,
    custom_return_path: row.customReturnPath,
    tracking_subdomain: row.trackingSubdomain,
    capabilities: CAPABILITIES,
    open_tracking: row.openTracking,
    click_tracking: row.clickTracking,
    tls: row.tls,
    records: records.map(recordView),
  };
}

/** A domain in a list (Resend lists no records). */
export function domainListItem(row: DomainRow) {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    created_at: row.createdAt.toISOString(),
    region: row.region,
    capabilities: CAPABILITIES,
  };
}
