import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { organizations } from "./organizations.ts";

export const PROVIDER_TYPES = ["smtp", "ses"] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/**
 * An organization's own mail providers, tried in priority order (lowest first) before the
 * installation's. Credentials are sealed at rest (lib/secrets.ts).
 */
export const providers = pgTable(
  "providers",
  {
    id: uuid().primaryKey(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text().notNull(),
    type: text({ enum: PROVIDER_TYPES }).notNull(),
    /** JSON of the provider's settings, credentials included, sealed. */
    config: text().notNull(),
    priority: integer().notNull().default(0),
    /** Messages per second across all workers; null: no limit of ours. */
    ratePerSecond: doublePrecision(),
    enabled: boolean().notNull().default(true),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("providers_org_id_name_idx").on(table.orgId, table.name),
    index("providers_org_id_idx").on(table.orgId, table.id),
    check("providers_type_check", sql`${table.type} in ('smtp', 'ses')`),
  ],
);

/**
 * Token buckets shared by every worker process: a send rate limit counted per process would
 * multiply with the number of workers. Keyed by what is limited (`provider:<id>`, ...).
 */
export const rateBuckets = pgTable("rate_buckets", {
  key: text().primaryKey(),
  tokens: doublePrecision().notNull(),
  refilledAt: timestamptz().notNull().defaultNow(),
});

/** Messages sent per domain and day, against the domain's warm-up allowance. */
export const domainDailySends = pgTable(
  "domain_daily_sends",
  {
    domainId: uuid().notNull(),
    day: date({ mode: "string" }).notNull(),
    sent: integer().notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.domainId, table.day] })],
);
