import { bigint, date, pgTable, primaryKey, uuid } from "drizzle-orm/pg-core";

/**
 * What each organization used per UTC day (GET /usage). Counted in each API process and
 * added here every few seconds (services/usage/usage-meter.ts), not written per request.
 */
export const usageDaily = pgTable(
  "usage_daily",
  {
    orgId: uuid().notNull(),
    day: date({ mode: "string" }).notNull(),
    /** Emails accepted (each email once, whatever its number of recipients). */
    emails: bigint({ mode: "number" }).notNull().default(0),
    /** Authenticated API requests. */
    apiCalls: bigint({ mode: "number" }).notNull().default(0),
    /** Contacts stored (no contacts yet: always 0). */
    contacts: bigint({ mode: "number" }).notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.orgId, table.day] })],
);

/**
 * Emails reserved against the organization's send quotas per UTC day: API processes take
 * them in leases (services/usage/quota-gate.ts), so `reserved` runs ahead of what was sent by
 * at most the leases not used yet. A month's total is the sum of its days.
 */
export const quotaReservations = pgTable(
  "quota_reservations",
  {
    orgId: uuid().notNull(),
    day: date({ mode: "string" }).notNull(),
    reserved: bigint({ mode: "number" }).notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.orgId, table.day] })],
);
