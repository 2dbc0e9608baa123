import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { inList, timestamptz } from "./columns.ts";
import { organizations } from "./organizations.ts";

/**
 * A domain's verification state, with Resend's names. `not_started`: never checked;
 * `pending`: checked, records not all found yet; `verified`; `temporary_failure`: was verified,
 * records missing or DNS unreachable since; `failed`: not verified in time (72 hours).
 */
export const DOMAIN_STATUSES = [
  "not_started",
  "pending",
  "verified",
  "temporary_failure",
  "failed",
] as const;
export type DomainStatus = (typeof DOMAIN_STATUSES)[number];

/** The DNS records we ask for, by stable key (the list shown to users is built from these). */
export const DOMAIN_RECORD_KEYS = ["dkim", "spf_mx", "spf_txt", "dmarc", "tracking"] as const;
export type DomainRecordKey = (typeof DOMAIN_RECORD_KEYS)[number];

/** A record's state: as for domains, `failed` once it has been missing past the deadline. */
export const RECORD_STATUSES = [
  "not_started",
  "pending",
  "verified",
  "temporary_failure",
  "failed",
] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

export const DOMAIN_REGIONS = ["us-east-1", "eu-west-1", "sa-east-1", "ap-northeast-1"] as const;
export const DOMAIN_TLS_MODES = ["opportunistic", "enforced"] as const;

export const domains = pgTable(
  "domains",
  {
    id: uuid().primaryKey(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** Lowercase, ASCII (IDNs stored in punycode). */
    name: text().notNull(),
    region: text({ enum: DOMAIN_REGIONS }).notNull(),
    /** The return-path subdomain label (bounces come back to `<label>.<name>`). */
    customReturnPath: text().notNull(),
    /** The label of the tracking CNAME (`links` gives `links.<name>`). */
    trackingSubdomain: text().notNull().default("links"),
    openTracking: boolean().notNull().default(false),
    clickTracking: boolean().notNull().default(false),
    tls: text({ enum: DOMAIN_TLS_MODES }).notNull().default("opportunistic"),
    status: text({ enum: DOMAIN_STATUSES }).notNull().default("not_started"),
    /** The DKIM selector: `<selector>._domainkey.<name>`. Unique per key, so keys can rotate. */
    dkimSelector: text().notNull(),
    /** PKCS#8 PEM, encrypted at rest (lib/secrets.ts). */
    dkimPrivateKey: text().notNull(),
    /** The public key as published: base64 of the DER SubjectPublicKeyInfo. */
    dkimPublicKey: text().notNull(),
    /** The last check's outcome per record key. */
    recordStatus: jsonb().$type<Partial<Record<DomainRecordKey, RecordStatus>>>().notNull(),
    lastCheckedAt: timestamptz(),
    /** Set when sending from this domain paused itself (its bounce or complaint rate). */
    sendingPausedAt: timestamptz(),
    sendingPausedReason: text(),
    /** Start of the warm-up schedule (the first verification); its daily allowance grows from here. */
    warmupStartedAt: timestamptz(),
    verifiedAt: timestamptz(),
    /**
     * Since when the required records have not all been found: creation, a verify request
     * after `failed`, or the first failed check of a verified domain. Null while verified.
     * Past 72 hours the domain is `failed`.
     */
    unverifiedSince: timestamptz(),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("domains_org_id_name_idx").on(table.orgId, table.name),
    index("domains_org_id_idx").on(table.orgId, table.id),
    check("domains_status_check", sql`${table.status} in (${inList(DOMAIN_STATUSES)})`),
  ],
);
