import type { Config } from "../../config.ts";
import type { DomainRecordKey, domains, RecordStatus } from "../../db/schema/index.ts";

type DomainRow = typeof domains.$inferSelect;
export type RecordConfig = Pick<Config, "spfMechanisms" | "bounceMxHost" | "trackingHost">;

/** Records that must all be found for a domain to be verified. */
export const REQUIRED_RECORDS: readonly DomainRecordKey[] = ["dkim", "spf_mx", "spf_txt"];

/** One DNS record to publish, in Resend's shape (`name` relative to the domain). */
export interface DomainRecord {
  key: DomainRecordKey;
  record: "DKIM" | "SPF" | "DMARC" | "Tracking";
  name: string;
  type: "TXT" | "MX" | "CNAME";
  value: string;
  ttl: "Auto";
  priority?: number;
  status: RecordStatus;
  /** Only required records decide the domain's status; the others are recommendations. */
  required: boolean;
}

export function returnPathDomain(domain: Pick<DomainRow, "name" | "customReturnPath">): string {
  return `${domain.customReturnPath}.${domain.name}`;
}

export function spfValue(config: RecordConfig): string {
  return `v=spf1 ${config.spfMechanisms} ~all`;
}

export function dkimValue(publicKey: string): string {
  return `v=DKIM1; k=rsa; p=${publicKey}`;
}

/** What the domain asks its owner to publish, with each record's last known status. */
export function domainRecords(domain: DomainRow, config: RecordConfig): DomainRecord[] {
  const status = (key: DomainRecordKey): RecordStatus => domain.recordStatus[key] ?? "not_started";
  const records: DomainRecord[] = [
    {
      key: "dkim",
      record: "DKIM",
      name: `${domain.dkimSelector}._domainkey`,
      type: "TXT",
      value: dkimValue(domain.dkimPublicKey),
      ttl: "Auto",
      status: status("dkim"),
      required: true,
    },
    {
      key: "spf_mx",
      record: "SPF",
      name: domain.customReturnPath,
      type: "MX",
      value: config.bounceMxHost,
      ttl: "Auto",
      priority: 10,
      status: status("spf_mx"),
      required: true,
    },
    {
      key: "spf_txt",
      record: "SPF",
      name: domain.customReturnPath,
      type: "TXT",
      value: spfValue(config),
      ttl: "Auto",
      status: status("spf_txt"),
      required: true,
    },
    {
      key: "dmarc",
      record: "DMARC",
      name: "_dmarc",
      type: "TXT",
      value: "v=DMARC1; p=none;",
      ttl: "Auto",
      status: status("dmarc"),
      required: false,
    },
  ];
  if (domain.openTracking || domain.clickTracking) {
    records.push({
      key: "tracking",
      record: "Tracking",
      name: domain.trackingSubdomain,
      type: "CNAME",
      value: config.trackingHost,
      ttl: "Auto",
      status: status("tracking"),
      required: false,
    });
  }
  return records;
}
